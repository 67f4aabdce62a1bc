"""Rules about webhooks: who manages them, which receivers are allowed, redeliveries."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.actor import Actor
from app.core.errors import Forbidden, ValidationFailed
from app.core.http import check_if_match
from app.core.models import touch
from app.core.pagination import PageParams, PageResult
from app.core.types import utcnow
from app.hubs.service import target_hub
from app.webhooks import repository as repo
from app.webhooks import urls
from app.webhooks.models import FAILED, PENDING, SUCCEEDED, Webhook, WebhookDelivery
from app.webhooks.schemas import WebhookCreate, WebhookUpdate
from app.webhooks.signing import new_secret


def _may_manage(actor: Actor) -> None:
    # Staff of a hub, or its partner systems (the route table demands `webhooks:manage`).
    if not (actor.is_staff or actor.is_api_client):
        raise Forbidden()


async def _checked_url(url: str) -> str:
    try:
        await urls.check(url)
    except urls.UnsafeUrl as exc:
        raise ValidationFailed.field(["body", "url"], str(exc), f"url_{exc.reason}") from None
    return url


async def list_webhooks(
    db: AsyncSession, actor: Actor, params: PageParams, **filters: Any
) -> PageResult[Webhook]:
    """The webhooks within the caller's reach."""
    _may_manage(actor)
    return await repo.list_visible(db, actor, params, **filters)


async def create_webhook(
    db: AsyncSession, actor: Actor, data: WebhookCreate
) -> tuple[Webhook, str]:
    """A new receiver for the hub's events; its signing secret is returned once."""
    _may_manage(actor)
    hub_id = (await target_hub(db, actor, data.hub_id)).id
    url = await _checked_url(data.url)
    secret = new_secret()
    webhook = Webhook(
        hub_id=hub_id,
        url=url,
        events=data.events,
        description=data.description,
        is_active=data.is_active,
        secret=secret,
    )
    db.add(webhook)
    await db.flush()
    record(db, actor, "create", "webhook", webhook.id, hub_id, {"events": data.events})
    return webhook, secret


async def update_webhook(
    db: AsyncSession,
    actor: Actor,
    webhook: Webhook,
    data: WebhookUpdate,
    if_match: str | None,
) -> Webhook:
    """Change the receiver, its event types, description or whether it is active."""
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None:
            raise ValidationFailed.field(["body", field], "May not be null", "custom")
    check_if_match(if_match, webhook.version)
    if "url" in changes:
        changes["url"] = await _checked_url(changes["url"])
    for field, value in changes.items():
        setattr(webhook, field, value)
    touch(webhook)
    await db.flush()
    record(db, actor, "update", "webhook", webhook.id, webhook.hub_id, {"fields": sorted(changes)})
    return webhook


async def delete_webhook(db: AsyncSession, actor: Actor, webhook: Webhook) -> None:
    """Remove a webhook at once: nothing more is sent to it, its delivery log goes too."""
    record(db, actor, "delete", "webhook", webhook.id, webhook.hub_id)
    await repo.delete(db, webhook)
    await db.flush()


async def list_deliveries(
    db: AsyncSession, webhook: Webhook, params: PageParams, **filters: Any
) -> PageResult[WebhookDelivery]:
    """A webhook's delivery log, newest first."""
    return await repo.list_deliveries(db, webhook.id, params, **filters)


async def redeliver(
    db: AsyncSession, actor: Actor, webhook: Webhook, original: WebhookDelivery
) -> WebhookDelivery:
    """Send an event again, with the same event id.

    A finished delivery (succeeded or failed) gets a new delivery with a fresh retry
    window; one still waiting for its next try is simply tried at once.
    """
    now = utcnow()
    if original.status not in (SUCCEEDED, FAILED):
        if original.status == PENDING:
            original.next_attempt_at = now
            await db.flush()
        return original
    again = WebhookDelivery(
        webhook_id=webhook.id,
        event_id=original.event_id,
        hub_id=original.hub_id,
        event_type=original.event_type,
        next_attempt_at=now,
        redelivery_of=original.id,
        created_at=now,
    )
    db.add(again)
    await db.flush()
    details = {"delivery_id": str(original.id), "event_id": str(original.event_id)}
    record(db, actor, "redeliver", "webhook", webhook.id, webhook.hub_id, details)
    return again
