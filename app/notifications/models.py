"""The email outbox: one row per message to one person."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.crypto import EncryptedText
from app.core.models import created_field, id_field, timestamp_field
from app.core.types import UTCDateTime, utcnow

QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
# Not sent because it is no longer useful (a reminder whose session has passed).
SKIPPED = "skipped"
STATUSES = (QUEUED, SENDING, SENT, FAILED, SKIPPED)


class Notification(SQLModel, table=True):
    """An email, rendered when queued; the worker sends it once."""

    __table_args__ = (
        sa.Index("ix_notification_status_next_attempt_at", "status", "next_attempt_at"),
        sa.Index("ix_notification_created_at_id", "created_at", "id"),
    )

    id: uuid.UUID = id_field()
    recipient_user_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", index=True)
    recipient_email: str = Field(max_length=254, nullable=False)
    hub_id: uuid.UUID | None = Field(default=None, foreign_key="hub.id", index=True)
    template: str = Field(max_length=40, nullable=False, index=True)
    locale: str = Field(max_length=2, nullable=False)
    # (kind, subject, period): a second queueing of the same message is a no-op.
    dedup_key: str = Field(max_length=200, unique=True, nullable=False)
    subject: str = Field(max_length=300, nullable=False)
    # Bodies may hold names and single-use links: encrypted at rest, never logged.
    body_text: str = Field(sa_type=EncryptedText, nullable=False)
    body_html: str = Field(sa_type=EncryptedText, nullable=False)
    attachment_name: str | None = Field(default=None, max_length=100)
    attachment: str | None = Field(default=None, sa_type=EncryptedText)
    status: str = Field(default=QUEUED, max_length=20, nullable=False)
    attempts: int = Field(default=0, nullable=False)
    last_error: str | None = Field(default=None, max_length=300)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    # After this instant the message is skipped instead of sent.
    expires_at: datetime | None = timestamp_field()
    claimed_until: datetime | None = timestamp_field()
    sent_at: datetime | None = timestamp_field()
    created_at: datetime = created_field()
