"""Partner systems of a hub: created and revoked by the hub's staff, secrets shown once."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.api_clients import repository as repo
from app.api_clients.models import ApiClient
from app.api_clients.schemas import ApiClientCreate
from app.audit.service import record
from app.core.actor import Actor
from app.core.pagination import PageParams, PageResult
from app.core.security import digest, new_secret
from app.core.types import utcnow
from app.hubs import repository as hubs_repo
from app.hubs.models import Hub


async def managed_hub(db: AsyncSession, actor: Actor, hub_id: uuid.UUID) -> Hub | None:
    """A hub within reach whose API clients the caller manages (None: 404)."""
    # API clients are managed by the hub's staff; an API client cannot mint others.
    if not actor.is_staff:
        return None
    return await hubs_repo.get_visible(db, actor, hub_id)


async def create_api_client(
    db: AsyncSession, actor: Actor, hub: Hub, data: ApiClientCreate
) -> tuple[ApiClient, str]:
    """A new partner integration; the secret is returned once and stored as a digest."""
    secret = new_secret(32)
    client = ApiClient(
        hub_id=hub.id,
        name=data.name,
        scopes=data.scopes,
        client_id="mc_" + new_secret(12),
        secret_hash=digest(secret),
    )
    db.add(client)
    await db.flush()
    record(db, actor, "create", "api_client", client.id, hub.id, {"scopes": data.scopes})
    return client, secret


async def list_api_clients(db: AsyncSession, hub: Hub, params: PageParams) -> PageResult[ApiClient]:
    """A page of a hub's active API clients."""
    return await repo.list_api_clients(db, hub.id, params)


async def revoke_api_client(db: AsyncSession, actor: Actor, client: ApiClient) -> None:
    """Revoke an API client at once: its tokens stop working on their next use."""
    client.revoked_at = utcnow()
    await db.flush()
    record(db, actor, "revoke", "api_client", client.id, client.hub_id)
