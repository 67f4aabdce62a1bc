"""HTTP layer of /audit-events (admins; read only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from app.audit import repository
from app.audit.repository import AUDIT_SORT
from app.audit.schemas import AuditEventRead
from app.core.deps import AdminActor, DbSession
from app.core.lookup import LoadingRoute
from app.core.pagination import ListQuery, Page, query_of, sorted_by
from app.core.schemas import DayOrMoment, date_range

router = APIRouter(tags=["audit"], route_class=LoadingRoute)


class AuditListQuery(ListQuery):
    """GET /audit-events: the page and its filters."""

    sort: str | None = sorted_by(AUDIT_SORT)
    action: str | None = Field(default=None, max_length=40)
    resource_type: str | None = Field(default=None, max_length=40)
    resource_id: uuid.UUID | None = None
    actor_id: uuid.UUID | None = None
    hub_id: uuid.UUID | None = None
    from_: DayOrMoment | None = Field(default=None, alias="from")
    to: DayOrMoment | None = None


AuditQuery = Annotated[AuditListQuery, query_of(AuditListQuery)]


@router.get(
    "/audit-events",
    response_model=Page[AuditEventRead],
    operation_id="audit-list",
)
async def list_audit_events(
    db: DbSession,
    actor: AdminActor,
    query: AuditQuery,
) -> Page[AuditEventRead]:
    """List audit events, newest first (admins); filters by action, resource, actor, hub, dates."""
    since, until = date_range(query.from_, query.to)
    result = await repository.list_events(
        db,
        actor,
        query.page,
        action=query.action,
        resource_type=query.resource_type,
        resource_id=query.resource_id,
        actor_id=query.actor_id,
        hub_id=query.hub_id,
        since=since,
        until=until,
    )
    return result.to_page(AuditEventRead.of)
