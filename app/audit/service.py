"""Writing audit events in the caller's transaction."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEvent
from app.core.actor import Actor
from app.core.middleware import request_id_var


def record(
    db: AsyncSession,
    actor: Actor | None,
    action: str,
    resource_type: str,
    resource_id: uuid.UUID | None,
    hub_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one event; it commits or rolls back with the change it describes."""
    actor_type, actor_id = actor.audit_ref() if actor else ("system", None)
    db.add(
        AuditEvent(
            actor_type=actor_type,
            actor_id=actor_id,
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            hub_id=hub_id,
            request_id=request_id_var.get(),
            details=details or {},
        )
    )
