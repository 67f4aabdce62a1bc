"""Load-or-404 dependencies of the webhook routes: the webhook within reach, its deliveries."""

from __future__ import annotations

import functools
from typing import Annotated

from app.core.lookup import or_404, or_404_within
from app.webhooks import repository as repo
from app.webhooks.models import Webhook, WebhookDelivery

WebhookOr404 = Annotated[Webhook, or_404(repo.get_visible, "webhook_id")]
# A change locks the row in the request's transaction (the worker reads it to deliver).
LockedWebhookOr404 = Annotated[
    Webhook, or_404(functools.partial(repo.get_visible, for_update=True), "webhook_id")
]


# A delivery of that webhook, locked while it is sent again.
LockedDeliveryOr404 = Annotated[
    WebhookDelivery,
    or_404_within(
        WebhookOr404, functools.partial(repo.get_delivery, for_update=True), "delivery_id"
    ),
]
