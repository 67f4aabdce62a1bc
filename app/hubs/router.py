"""HTTP layer of /hubs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response, status
from pydantic import Field

from app.core.deps import CurrentActor, DbSession
from app.core.http import set_etag
from app.core.lookup import LoadingRoute
from app.core.openapi import problems
from app.core.pagination import ListQuery, Page, query_of, sorted_by
from app.hubs import service
from app.hubs.deps import HubOr404, HubToUpdateOr404
from app.hubs.repository import HUB_SORT
from app.hubs.schemas import HubCreate, HubRead, HubUpdate
from app.reference.catalog import RegionCode

router = APIRouter(prefix="/hubs", tags=["hubs"], route_class=LoadingRoute)


class HubListQuery(ListQuery):
    """GET /hubs: the page and its filters."""

    sort: str | None = sorted_by(HUB_SORT)
    is_active: bool | None = None
    # One region code, an enum in the document (the pattern is what checks it).
    region: RegionCode | None = Field(default=None, pattern=r"^(0[1-9]|1[0-7])$")
    q: str | None = Field(default=None, max_length=100)


HubQuery = Annotated[HubListQuery, query_of(HubListQuery)]


@router.get(
    "",
    response_model=Page[HubRead],
    operation_id="hubs-list",
)
async def list_hubs(
    db: DbSession,
    actor: CurrentActor,
    query: HubQuery,
) -> Page[HubRead]:
    """List hubs within reach; filters `is_active`, `region`, `q`."""
    result = await service.list_hubs(db, actor, query.page, **query.filters())
    return result.to_page(HubRead.model_validate)


@router.post(
    "",
    response_model=HubRead,
    status_code=status.HTTP_201_CREATED,
    operation_id="hubs-create",
    responses=problems(409),
)
async def create_hub(
    db: DbSession, actor: CurrentActor, body: HubCreate, response: Response
) -> HubRead:
    """Open a regional hub (admins)."""
    hub = await service.create_hub(db, actor, body)
    set_etag(response, hub.version)
    response.headers["Location"] = f"/api/v1/hubs/{hub.id}"
    return HubRead.model_validate(hub)


@router.get(
    "/{hub_id}",
    response_model=HubRead,
    operation_id="hubs-get",
)
async def get_hub(hub: HubOr404, response: Response) -> HubRead:
    """Read one hub within reach."""
    set_etag(response, hub.version)
    return HubRead.model_validate(hub)


@router.patch(
    "/{hub_id}",
    response_model=HubRead,
    operation_id="hubs-update",
    responses=problems(409, 412),
)
async def update_hub(
    db: DbSession,
    actor: CurrentActor,
    hub: HubToUpdateOr404,
    body: HubUpdate,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> HubRead:
    """Change a hub (admins; coordinators: name, contact email, matching weights)."""
    hub = await service.update_hub(db, actor, hub, body, if_match)
    set_etag(response, hub.version)
    return HubRead.model_validate(hub)
