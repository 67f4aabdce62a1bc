"""HTTP layer of /audit-events (admins; read only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.audit import repository
from app.audit.repository import AUDIT_SORT
from app.audit.schemas import AuditEventRead
from app.core.deps import AdminActor, DbSession
from app.core.pagination import Page, PageParams, pagination
from app.core.schemas import DayOrMoment, date_range

router = APIRouter(tags=["audit"])
AuditPages = Annotated[PageParams, pagination(AUDIT_SORT)]


@router.get(
    "/audit-events",
    response_model=Page[AuditEventRead],
    operation_id="audit-list",
)
async def list_audit_events(
    db: DbSession,
    actor: AdminActor,
    page: AuditPages,
    action: Annotated[str | None, Query(max_length=40)] = None,
    resource_type: Annotated[str | None, Query(max_length=40)] = None,
    resource_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    hub_id: uuid.UUID | None = None,
    from_: Annotated[DayOrMoment | None, Query(alias="from")] = None,
    to: DayOrMoment | None = None,
) -> Page[AuditEventRead]:
    """List audit events, newest first (admins); filters by action, resource, actor, hub, dates."""
    since, until = date_range(from_, to)
    result = await repository.list_events(
        db,
        actor,
        page,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        actor_id=actor_id,
        hub_id=hub_id,
        since=since,
        until=until,
    )
    return result.to_page(AuditEventRead.of)
