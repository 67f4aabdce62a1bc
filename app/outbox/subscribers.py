"""The outbox records every public event in the transaction of the change that raised it.

A change that rolls back (a refusal, a crash) takes its outbox rows with it, so a partner
is never told about something that did not happen; a change that commits always has them.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import events
from app.core.events import DomainEvent
from app.outbox import repository


@events.subscribe(events.ANY)
async def record_event(db: AsyncSession, event: DomainEvent) -> None:
    """Write the event's outbox row (account events excepted), flushed with the change."""
    repository.add(db, event)
