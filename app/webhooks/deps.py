"""Load-or-404 dependencies of the webhook routes: the webhook within reach, its deliveries."""

from __future__ import annotations

import functools
import uuid
from typing import Annotated

from fastapi import Depends

from app.core.deps import DbSession
from app.core.lookup import found, or_404
from app.webhooks import repository as repo
from app.webhooks.models import Webhook, WebhookDelivery

WebhookOr404 = Annotated[Webhook, or_404(repo.get_visible, "webhook_id")]
# A change locks the row in the request's transaction (the worker reads it to deliver).
LockedWebhookOr404 = Annotated[
    Webhook, or_404(functools.partial(repo.get_visible, for_update=True), "webhook_id")
]


async def delivery_or_404(
    db: DbSession, webhook: WebhookOr404, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """A delivery of the webhook, locked while it is sent again, else 404."""
    return found(await repo.get_delivery(db, webhook.id, delivery_id, for_update=True))


LockedDeliveryOr404 = Annotated[WebhookDelivery, Depends(delivery_or_404)]
