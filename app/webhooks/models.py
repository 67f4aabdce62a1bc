"""Webhooks of a hub, and the deliveries of outbox events to them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.crypto import EncryptedText
from app.core.models import created_field, id_field, json_list_field, timestamp_field, updated_field
from app.core.types import UTCDateTime, utcnow

PENDING = "pending"
DELIVERING = "delivering"
SUCCEEDED = "succeeded"
FAILED = "failed"
DELIVERY_STATUSES = (PENDING, DELIVERING, SUCCEEDED, FAILED)


class Webhook(SQLModel, table=True):
    """A receiver of a hub's events: where to post, which types, and the signing secret."""

    __table_args__ = (sa.Index("ix_webhook_hub_id_created_at", "hub_id", "created_at"),)

    id: uuid.UUID = id_field()
    hub_id: uuid.UUID = Field(foreign_key="hub.id", nullable=False)
    url: str = Field(max_length=2000, nullable=False)
    events: list[str] = json_list_field()
    description: str = Field(default="", max_length=500, nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    #: `whsec_…`, shown once at creation; kept encrypted to sign deliveries.
    secret: str = Field(sa_type=EncryptedText, nullable=False)
    version: int = Field(default=1, nullable=False)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()


class WebhookDelivery(SQLModel, table=True):
    """One event to one webhook: its attempts, last outcome and next try."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        sa.Index("ix_webhook_delivery_webhook_id_created_at", "webhook_id", "created_at", "id"),
        sa.Index("ix_webhook_delivery_event_id", "event_id"),
    )

    id: uuid.UUID = id_field()
    webhook_id: uuid.UUID = Field(
        sa_column=sa.Column(
            sa.Uuid(), sa.ForeignKey("webhook.id", ondelete="CASCADE"), nullable=False
        )
    )
    event_id: uuid.UUID = Field(
        sa_column=sa.Column(
            sa.Uuid(), sa.ForeignKey("outbox_event.id", ondelete="CASCADE"), nullable=False
        )
    )
    hub_id: uuid.UUID = Field(nullable=False)
    event_type: str = Field(max_length=40, nullable=False)
    status: str = Field(default=PENDING, max_length=20, nullable=False)
    attempts: int = Field(default=0, nullable=False)
    next_attempt_at: datetime | None = Field(
        default_factory=utcnow, sa_type=UTCDateTime, nullable=True
    )
    #: A worker holds the delivery until then; after it, another may take it over.
    claimed_until: datetime | None = timestamp_field()
    status_code: int | None = Field(default=None)
    duration_ms: int | None = Field(default=None)
    #: The class of the last failure (`http_status`, `redirect`, `timeout`, …), or null.
    error: str | None = Field(default=None, max_length=100)
    #: The start of the receiver's last answer, at most 1 KiB.
    response_body: str | None = Field(default=None, max_length=1024)
    #: Every attempt: ``{"at", "status_code", "duration_ms", "error"}``.
    attempt_log: list[dict[str, Any]] = json_list_field()
    #: The delivery this one repeats (`POST …/redeliver`), if any.
    redelivery_of: uuid.UUID | None = Field(default=None)
    created_at: datetime = created_field()
    delivered_at: datetime | None = timestamp_field()
