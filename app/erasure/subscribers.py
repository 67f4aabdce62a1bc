"""What erasure does when profiles change: a key with each new person, none after erasure."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import envelope, events
from app.core.errors import ServiceUnavailable
from app.core.events import DomainEvent
from app.erasure import service

log = logging.getLogger(__name__)


@events.subscribe("mentor.created", "mentee.created")
async def create_key_of_new_person(db: AsyncSession, event: DomainEvent) -> None:
    """A person gets their data key with their profile (or at their first content, if down)."""
    owner_id = event.subject[f"{event.resource}_id"]
    try:
        await envelope.current_key(owner_id)
    except ServiceUnavailable:
        log.warning("key store unavailable: the key will be made with the first content")


@events.subscribe("mentor.anonymised", "mentee.anonymised")
async def destroy_keys_of_anonymised_person(db: AsyncSession, event: DomainEvent) -> None:
    """An erased person's keys are destroyed once the erasure committed, backups included."""
    role = event.resource
    service.request_erasure(db, role, event.subject[f"{role}_id"], event.hub_id)
    account_id = event.data.get("account_id")
    if account_id is not None:
        # Notes of an account without a profile are sealed under the account's id.
        service.request_erasure(db, "user", account_id, event.hub_id)
