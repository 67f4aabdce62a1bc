"""Rules about hubs and their partner API clients."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.actor import Actor
from app.core.errors import AlreadyExists, Forbidden, ValidationFailed
from app.core.http import check_if_match
from app.core.models import touch
from app.core.pagination import PageParams, PageResult
from app.hubs import repository as repo
from app.hubs.models import Hub
from app.hubs.schemas import HubCreate, HubUpdate
from app.matching.weights import validate_weights

# What a coordinator may change on their own hub; the rest is the national admins'.
COORDINATOR_HUB_FIELDS = frozenset(
    {"name", "contact_email", "matching_weights", "health_at_risk_days", "health_stalled_days"}
)


async def target_hub(db: AsyncSession, actor: Actor, requested: uuid.UUID | None) -> Hub:
    """The hub something new goes to (a profile, an account, a webhook, a matching run): the one
    the body names, within the caller's reach (else `422` naming `hub_id`, whether or not it
    exists), or by default the caller's own; an admin, of no hub, must name one."""
    if requested is None:
        if actor.hub_id is None:
            raise ValidationFailed.field(["body", "hub_id"], "Field required", "missing")
        requested = actor.hub_id
    hub = await repo.get_visible(db, actor, requested)
    if hub is None:
        raise ValidationFailed.unreachable(["body", "hub_id"])
    return hub


async def list_hubs(
    db: AsyncSession, actor: Actor, params: PageParams, **filters: Any
) -> PageResult[Hub]:
    """Hubs within the caller's reach."""
    if not (actor.is_staff or actor.is_api_client):
        raise Forbidden()
    return await repo.list_visible(db, actor, params, **filters)


async def hub_to_update(db: AsyncSession, actor: Actor, hub_id: uuid.UUID) -> Hub | None:
    """A hub within reach that the caller changes, locked; only staff change one (else 404)."""
    if not actor.is_staff:
        return None
    return await repo.get_visible(db, actor, hub_id, for_update=True)


async def create_hub(db: AsyncSession, actor: Actor, data: HubCreate) -> Hub:
    """National admins open a hub; slugs are unique."""
    if not actor.is_admin:
        raise Forbidden()
    if await repo.slug_taken(db, data.slug):
        raise AlreadyExists(params={"field": "slug"})
    hub = Hub(
        slug=data.slug,
        name=data.name,
        regions=data.regions,
        contact_email=str(data.contact_email).lower(),
        is_active=data.is_active,
        matching_weights=validate_weights(data.matching_weights),
        health_at_risk_days=data.health_at_risk_days,
        health_stalled_days=data.health_stalled_days,
        retention_years=data.retention_years,
    )
    _check_health_days(hub.health_at_risk_days, hub.health_stalled_days)
    db.add(hub)
    await db.flush()
    record(db, actor, "create", "hub", hub.id, hub.id)
    return hub


async def update_hub(
    db: AsyncSession, actor: Actor, hub: Hub, data: HubUpdate, if_match: str | None
) -> Hub:
    """Admins change any field; a coordinator only name, contact and matching weights."""
    changes = data.model_dump(exclude_unset=True)
    if actor.is_coordinator:
        for field in sorted(changes):
            if field not in COORDINATOR_HUB_FIELDS:
                raise ValidationFailed.forbidden_field(["body", field])
    check_if_match(if_match, hub.version)
    if changes.get("slug") and await repo.slug_taken(db, changes["slug"], except_id=hub.id):
        raise AlreadyExists(params={"field": "slug"})
    for field, value in changes.items():
        if value is None:
            raise ValidationFailed.field(["body", field], "May not be null", "custom")
        if field == "contact_email":
            value = str(value).lower()
        setattr(hub, field, value)
    _check_health_days(hub.health_at_risk_days, hub.health_stalled_days)
    touch(hub)
    await db.flush()
    record(db, actor, "update", "hub", hub.id, hub.id, {"fields": sorted(changes)})
    return hub


def _check_health_days(at_risk: int, stalled: int) -> None:
    """A match is at risk before it is stalled."""
    if stalled <= at_risk:
        raise ValidationFailed.field(
            ["body", "health_stalled_days"], "Must be greater than health_at_risk_days", "custom"
        )
