"""HTTP layer of /hubs/{hub_id}/api-clients."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response, status

from app.api_clients import repository, service
from app.api_clients.deps import ApiClientOr404, ManagedHubOr404
from app.api_clients.schemas import ApiClientCreate, ApiClientCreated, ApiClientRead
from app.core.deps import CurrentActor, DbSession
from app.core.lookup import LoadingRoute
from app.core.pagination import ListQuery, Page, query_of, sorted_by

router = APIRouter(prefix="/hubs", tags=["hubs"], route_class=LoadingRoute)


class ApiClientListQuery(ListQuery):
    """GET /hubs/{id}/api-clients: the page."""

    sort: str | None = sorted_by(repository.API_CLIENT_SORT)


ApiClientQuery = Annotated[ApiClientListQuery, query_of(ApiClientListQuery)]


@router.post(
    "/{hub_id}/api-clients",
    response_model=ApiClientCreated,
    status_code=status.HTTP_201_CREATED,
    operation_id="hubs-create-api-client",
)
async def create_api_client(
    db: DbSession, actor: CurrentActor, hub: ManagedHubOr404, body: ApiClientCreate
) -> ApiClientCreated:
    """Register a partner system for the hub; `client_secret` is shown only in this answer."""
    client, secret = await service.create_api_client(db, actor, hub, body)
    return ApiClientCreated.model_validate({**client.model_dump(), "client_secret": secret})


@router.get(
    "/{hub_id}/api-clients",
    response_model=Page[ApiClientRead],
    operation_id="hubs-list-api-clients",
)
async def list_api_clients(
    db: DbSession, hub: ManagedHubOr404, query: ApiClientQuery
) -> Page[ApiClientRead]:
    """List the hub's active API clients (without secrets), oldest first."""
    result = await service.list_api_clients(db, hub, query.page)
    return result.to_page(ApiClientRead.model_validate)


@router.delete(
    "/{hub_id}/api-clients/{api_client_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    operation_id="hubs-delete-api-client",
)
async def delete_api_client(
    db: DbSession, actor: CurrentActor, hub: ManagedHubOr404, client: ApiClientOr404
) -> Response:
    """Revoke an API client at once."""
    # `hub` is named before `client`: the path's parameters keep their order, hub_id first.
    await service.revoke_api_client(db, actor, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
