"""Notification schemas: the outbox's log as admins read it (never a body)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import EmailStr

from app.core.schemas import InputModel, OutputModel

NotificationStatus = Literal["queued", "sending", "sent", "failed", "skipped"]


class NotificationRead(OutputModel):
    """One message: to whom, which template and language, its state and times."""

    id: uuid.UUID
    recipient_user_id: uuid.UUID | None
    recipient_email: str
    hub_id: uuid.UUID | None
    template: str
    locale: Literal["fr", "en"]
    status: NotificationStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    sent_at: datetime | None
    created_at: datetime


class PasswordResetRequest(InputModel):
    """The email of the account whose password is forgotten."""

    email: EmailStr
