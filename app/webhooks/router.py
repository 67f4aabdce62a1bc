"""HTTP layer of /webhooks: a hub's receivers of events, and their delivery logs."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Header, Response, status

from app.core.deps import CurrentActor, DbSession
from app.core.http import set_etag
from app.core.lookup import LoadingRoute
from app.core.openapi import problems
from app.core.pagination import ListQuery, Page, query_of, sorted_by
from app.outbox.catalogue import WEBHOOK_EVENT_TYPES
from app.webhooks import service
from app.webhooks.deps import LockedDeliveryOr404, LockedWebhookOr404, WebhookOr404
from app.webhooks.repository import DELIVERY_SORT, WEBHOOK_SORT
from app.webhooks.schemas import (
    DeliveryStatus,
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryRead,
    WebhookRead,
    WebhookUpdate,
)

if TYPE_CHECKING:
    EventTypeCode = str
else:
    # An enum in the OpenAPI document, and a 422 for an unknown event type in the filter.
    EventTypeCode = Literal[tuple(WEBHOOK_EVENT_TYPES)]

router = APIRouter(prefix="/webhooks", tags=["webhooks"], route_class=LoadingRoute)


class WebhookListQuery(ListQuery):
    """GET /webhooks: the page and its filters."""

    sort: str | None = sorted_by(WEBHOOK_SORT)
    hub_id: uuid.UUID | None = None
    is_active: bool | None = None


class DeliveryListQuery(ListQuery):
    """GET /webhooks/{id}/deliveries: the page and its filters."""

    sort: str | None = sorted_by(DELIVERY_SORT)
    status: DeliveryStatus | None = None
    event_type: EventTypeCode | None = None


WebhookQuery = Annotated[WebhookListQuery, query_of(WebhookListQuery)]
DeliveryQuery = Annotated[DeliveryListQuery, query_of(DeliveryListQuery)]


@router.get(
    "",
    response_model=Page[WebhookRead],
    operation_id="webhooks-list",
)
async def list_webhooks(
    db: DbSession,
    actor: CurrentActor,
    query: WebhookQuery,
) -> Page[WebhookRead]:
    """List the webhooks within reach (staff of the hub, or a partner with `webhooks:manage`)."""
    result = await service.list_webhooks(db, actor, query.page, **query.filters())
    return result.to_page(WebhookRead.model_validate)


@router.post(
    "",
    response_model=WebhookCreated,
    status_code=status.HTTP_201_CREATED,
    operation_id="webhooks-create",
)
async def create_webhook(
    db: DbSession, actor: CurrentActor, body: WebhookCreate, response: Response
) -> WebhookCreated:
    """Subscribe a receiver to event types; the signing `secret` (`whsec_…`) is shown only here."""
    webhook, secret = await service.create_webhook(db, actor, body)
    set_etag(response, webhook.version)
    response.headers["Location"] = f"/api/v1/webhooks/{webhook.id}"
    read = WebhookRead.model_validate(webhook)
    return WebhookCreated.model_validate({**read.model_dump(), "secret": secret})


@router.get(
    "/{webhook_id}",
    response_model=WebhookRead,
    operation_id="webhooks-get",
)
async def get_webhook(webhook: WebhookOr404, response: Response) -> WebhookRead:
    """Read one webhook (never its secret)."""
    set_etag(response, webhook.version)
    return WebhookRead.model_validate(webhook)


@router.patch(
    "/{webhook_id}",
    response_model=WebhookRead,
    operation_id="webhooks-update",
    responses=problems(412),
)
async def update_webhook(
    db: DbSession,
    actor: CurrentActor,
    webhook: LockedWebhookOr404,
    body: WebhookUpdate,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> WebhookRead:
    """Change `url`, `events`, `description` or `is_active` (inactive: nothing is sent)."""
    webhook = await service.update_webhook(db, actor, webhook, body, if_match)
    set_etag(response, webhook.version)
    return WebhookRead.model_validate(webhook)


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    operation_id="webhooks-delete",
)
async def delete_webhook(
    db: DbSession, actor: CurrentActor, webhook: LockedWebhookOr404
) -> Response:
    """Remove a webhook and its delivery log; nothing more is sent to it."""
    await service.delete_webhook(db, actor, webhook)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=Page[WebhookDeliveryRead],
    operation_id="webhooks-deliveries",
)
async def list_deliveries(
    db: DbSession,
    webhook: WebhookOr404,
    query: DeliveryQuery,
) -> Page[WebhookDeliveryRead]:
    """The delivery log, newest first: attempts, status code, duration, next try, error class."""
    result = await service.list_deliveries(db, webhook, query.page, **query.filters())
    return result.to_page(WebhookDeliveryRead.model_validate)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    response_model=WebhookDeliveryRead,
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="webhooks-redeliver",
)
async def redeliver(
    db: DbSession, actor: CurrentActor, webhook: WebhookOr404, delivery: LockedDeliveryOr404
) -> WebhookDeliveryRead:
    """Send the delivery's event again (same event id), through the worker."""
    delivery = await service.redeliver(db, actor, webhook, delivery)
    return WebhookDeliveryRead.model_validate(delivery)
