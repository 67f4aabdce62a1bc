"""Audit event table (append-only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from app.core.models import id_field, json_dict_field
from app.core.types import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """Who did what to which resource, in which hub, when; never updated or deleted."""

    __tablename__ = "audit_event"

    id: uuid.UUID = id_field()
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    actor_type: str = Field(max_length=20, nullable=False)
    actor_id: uuid.UUID | None = Field(default=None, index=True)
    action: str = Field(max_length=40, nullable=False, index=True)
    resource_type: str = Field(max_length=40, nullable=False, index=True)
    resource_id: uuid.UUID | None = Field(default=None, index=True)
    hub_id: uuid.UUID | None = Field(default=None, index=True)
    request_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = json_dict_field()
