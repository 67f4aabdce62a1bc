"""The outbox records every public event in the transaction of the change that raised it.

A change that rolls back (a refusal, a crash) takes its outbox rows with it, so a partner
is never told about something that did not happen; a change that commits always has them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import events
from app.core.events import DomainEvent
from app.outbox import repository


@events.subscribe_batch(events.ANY)
async def record_events(db: AsyncSession, batch: Sequence[DomainEvent]) -> None:
    """Write the events' outbox rows (account events excepted) in one statement."""
    await repository.add_many(db, batch)
