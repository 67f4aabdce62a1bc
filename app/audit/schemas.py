"""Audit event schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from app.audit.models import AuditEvent


class ActorRef(BaseModel):
    """Who acted: a user, an API client, or the system."""

    type: Literal["user", "api_client", "system"]
    id: uuid.UUID | None


class AuditEventRead(BaseModel):
    """One audit event."""

    id: uuid.UUID
    at: datetime
    actor: ActorRef
    action: str
    resource_type: str
    resource_id: uuid.UUID | None
    hub_id: uuid.UUID | None
    request_id: str | None
    details: dict[str, Any]

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEventRead:
        """From a table row."""
        return cls(
            id=event.id,
            at=event.at,
            actor=ActorRef.model_validate({"type": event.actor_type, "id": event.actor_id}),
            action=event.action,
            resource_type=event.resource_type,
            resource_id=event.resource_id,
            hub_id=event.hub_id,
            request_id=event.request_id,
            details=event.details,
        )
