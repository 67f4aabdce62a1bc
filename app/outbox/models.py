"""The outbox: one row per event, written in the transaction of the change it records."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.models import created_field, json_dict_field, timestamp_field
from app.core.types import UTCDateTime


class OutboxEvent(SQLModel, table=True):
    """An event as partners are told it: its type, hub, resource ids and thin payload.

    `dispatched_at` is the delivery bookkeeping: set once the worker has queued a
    delivery of the event for every webhook of the hub subscribed to its type.
    """

    __tablename__ = "outbox_event"
    __table_args__ = (
        sa.Index("ix_outbox_event_dispatched_at_occurred_at", "dispatched_at", "occurred_at"),
        sa.Index("ix_outbox_event_hub_id_occurred_at", "hub_id", "occurred_at"),
    )

    #: The event's id, the same in every delivery of it (the `webhook-id` header).
    id: uuid.UUID = Field(primary_key=True)
    type: str = Field(max_length=40, nullable=False, index=True)
    hub_id: uuid.UUID = Field(foreign_key="hub.id", nullable=False)
    #: The resource ids, e.g. ``{"match_id": "…", "mentor_id": "…", "mentee_id": "…"}``.
    subject: dict[str, Any] = json_dict_field()
    actor_type: str = Field(max_length=20, nullable=False)
    actor_id: uuid.UUID | None = Field(default=None)
    #: The body every delivery sends (ids, status codes, a link; never personal fields).
    payload: dict[str, Any] = json_dict_field()
    occurred_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    created_at: datetime = created_field()
    dispatched_at: datetime | None = timestamp_field()
