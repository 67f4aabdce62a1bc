"""In-process domain events, handled inside the transaction of the change that raised them.

A service that changes something other domains care about publishes a `DomainEvent`
on its database session; every handler subscribed to that event type runs at once,
on the same session, so its work commits or rolls back with the change. This is how
cascades cross layers without a lower domain importing a higher one (a profile
anonymised erases its sessions' content; a match closed cancels its planned
sessions), and how the outbox records what partners and notifications are told.

Handlers are registered at import time by the modules that own them; `app.wiring`
imports every subscriber once, so that the graph is complete in every process
(server, worker, command line, tests).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import now

#: Every event type the service publishes: `<resource>.<what happened>`.
EVENT_TYPES: tuple[str, ...] = (
    "mentee.created",
    "mentee.updated",
    "mentee.anonymised",
    "mentor.created",
    "mentor.updated",
    "mentor.anonymised",
    "match.proposed",
    "match.accepted",
    "match.declined",
    "match.cancelled",
    "match.activated",
    "match.completed",
    "match.ended",
    "session.scheduled",
    "session.rescheduled",
    "session.held",
    "session.cancelled",
    "evaluation.submitted",
    "user.invited",
)

ANY = "*"


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Something that happened, as other domains may know it: ids, never personal fields."""

    type: str
    hub_id: uuid.UUID
    #: The resource's ids, e.g. ``{"match_id": …, "mentor_id": …, "mentee_id": …}``.
    subject: Mapping[str, uuid.UUID]
    #: Who caused it: ``("user" | "api_client" | "system", id or None)``.
    actor: tuple[str, uuid.UUID | None] = ("system", None)
    occurred_at: datetime = field(default_factory=now)
    #: Facts a handler needs beyond the ids (a status, a reason code); never personal data.
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def __post_init__(self) -> None:
        if self.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type: {self.type}")

    @property
    def resource(self) -> str:
        """The resource part of the type (`match` for `match.proposed`)."""
        return self.type.split(".", 1)[0]


Handler = Callable[[AsyncSession, DomainEvent], Awaitable[None]]
#: A handler of several events of one type at once (a matching run applied: thousands).
BatchHandler = Callable[[AsyncSession, Sequence[DomainEvent]], Awaitable[None]]

_handlers: dict[str, list[Handler]] = defaultdict(list)
_batch_handlers: dict[str, list[BatchHandler]] = defaultdict(list)


def _check_types(types: tuple[str, ...]) -> None:
    for kind in types:
        if kind != ANY and kind not in EVENT_TYPES:
            raise ValueError(f"unknown event type: {kind}")


def subscribe(*types: str) -> Callable[[Handler], Handler]:
    """Register a handler for event types (or `ANY`), run in the publisher's transaction."""
    _check_types(types)

    def register(handler: Handler) -> Handler:
        for kind in types:
            if handler not in _handlers[kind]:
                _handlers[kind].append(handler)
        return handler

    return register


def subscribe_batch(*types: str) -> Callable[[BatchHandler], BatchHandler]:
    """Register a handler that takes a list of events of one type (one for `publish`)."""
    _check_types(types)

    def register(handler: BatchHandler) -> BatchHandler:
        for kind in types:
            if handler not in _batch_handlers[kind]:
                _batch_handlers[kind].append(handler)
        return handler

    return register


def batch_handlers_for(kind: str) -> tuple[BatchHandler, ...]:
    """The batch handlers an event of this type reaches, specific ones first, then `ANY`."""
    return (*_batch_handlers.get(kind, ()), *_batch_handlers.get(ANY, ()))


def handlers_for(kind: str) -> tuple[Handler, ...]:
    """The handlers an event of this type reaches, specific ones first, then `ANY`."""
    return (*_handlers.get(kind, ()), *_handlers.get(ANY, ()))


async def publish(db: AsyncSession, event: DomainEvent) -> None:
    """Run every handler of the event now, in the caller's transaction.

    A handler that raises aborts the whole change (the request's unit of work rolls
    back), so a cascade is never half done and a refused change emits nothing.
    """
    for handler in handlers_for(event.type):
        await handler(db, event)
    for batch_handler in batch_handlers_for(event.type):
        await batch_handler(db, (event,))


async def publish_many(db: AsyncSession, batch: Sequence[DomainEvent]) -> None:
    """Publish many events in the caller's transaction: each type's batch handlers run once.

    The same effects as publishing the events one by one (handlers of single events still
    see each event), in fewer queries where a handler can work on a list.
    """
    by_type: dict[str, list[DomainEvent]] = {}
    for event in batch:
        by_type.setdefault(event.type, []).append(event)
    for kind, group in by_type.items():
        for event in group:
            for handler in handlers_for(kind):
                await handler(db, event)
        for batch_handler in batch_handlers_for(kind):
            await batch_handler(db, group)
