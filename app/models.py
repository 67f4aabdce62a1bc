"""Every table, imported once so that the metadata (and Alembic) sees them all."""

from __future__ import annotations

from sqlmodel import SQLModel

from app.api_clients.models import ApiClient
from app.audit.models import AuditEvent
from app.core.idempotency import IdempotencyRecord
from app.core.schedule import JobRun
from app.erasure.models import KeyDestruction
from app.evaluations.models import Evaluation
from app.hubs.models import Hub
from app.matches.models import Match, MatchEvent, MatchingRun
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from app.notifications.models import Notification
from app.outbox.models import OutboxEvent
from app.reports.models import MatchSessionStats, MenteeMilestone
from app.sessions.models import CalendarFeed, MentoringSession, SessionNote
from app.users.models import AuthSession, LoginThrottle, RefreshToken, User, UserToken
from app.webhooks.models import Webhook, WebhookDelivery

metadata = SQLModel.metadata

__all__ = [
    "ApiClient",
    "AuditEvent",
    "AuthSession",
    "CalendarFeed",
    "Evaluation",
    "Hub",
    "IdempotencyRecord",
    "JobRun",
    "KeyDestruction",
    "LoginThrottle",
    "Match",
    "MatchEvent",
    "MatchSessionStats",
    "MatchingRun",
    "Mentee",
    "MenteeMilestone",
    "Mentor",
    "MentoringSession",
    "Notification",
    "OutboxEvent",
    "RefreshToken",
    "SessionNote",
    "User",
    "UserToken",
    "Webhook",
    "WebhookDelivery",
    "metadata",
]
