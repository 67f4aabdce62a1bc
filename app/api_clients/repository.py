"""Every query on API clients."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.api_clients.models import ApiClient
from app.core.actor import Actor
from app.core.pagination import PageParams, PageResult, SortSpec, paginate
from app.hubs.models import Hub

API_CLIENT_SORT = SortSpec(
    columns={"created_at": col(ApiClient.created_at)},
    default="created_at",
    id_column=col(ApiClient.id),
)


async def load_client_actor(
    db: AsyncSession, client_pk: uuid.UUID, _session_id: uuid.UUID | None = None
) -> Actor | None:
    """The actor behind an API client's access token, unless revoked or its hub inactive."""
    stmt = (
        sa.select(col(ApiClient.id), col(ApiClient.hub_id), col(ApiClient.scopes))
        .join(Hub, col(Hub.id) == col(ApiClient.hub_id))
        .where(
            col(ApiClient.id) == client_pk,
            col(ApiClient.revoked_at).is_(None),
            col(Hub.is_active).is_(True),
        )
    )
    row = (await db.execute(stmt)).first()
    if row is None:
        return None
    return Actor(
        kind="api_client",
        id=row.id,
        role="api_client",
        hub_id=row.hub_id,
        scopes=frozenset(row.scopes or ()),
    )


async def list_api_clients(
    db: AsyncSession, hub_id: uuid.UUID, params: PageParams
) -> PageResult[ApiClient]:
    """A page of the unrevoked API clients of a hub, oldest first by default."""
    stmt = sa.select(ApiClient).where(
        col(ApiClient.hub_id) == hub_id, col(ApiClient.revoked_at).is_(None)
    )
    return await paginate(db, stmt, API_CLIENT_SORT, params, lambda row: row[0])


async def get_api_client(
    db: AsyncSession, hub_id: uuid.UUID, client_pk: uuid.UUID
) -> ApiClient | None:
    """An unrevoked API client of a hub."""
    stmt = sa.select(ApiClient).where(
        col(ApiClient.id) == client_pk,
        col(ApiClient.hub_id) == hub_id,
        col(ApiClient.revoked_at).is_(None),
    )
    return (await db.execute(stmt)).scalar_one_or_none()


async def get_api_client_by_client_id(db: AsyncSession, client_id: str) -> ApiClient | None:
    """An unrevoked API client by its public client_id."""
    stmt = sa.select(ApiClient).where(
        col(ApiClient.client_id) == client_id,
        col(ApiClient.revoked_at).is_(None),
    )
    return (await db.execute(stmt)).scalar_one_or_none()
