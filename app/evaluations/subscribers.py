"""What evaluations do when other domains change: the handlers of their domain events."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import events
from app.core.events import DomainEvent
from app.evaluations import repository as repo


@events.subscribe("mentor.anonymised", "mentee.anonymised")
async def erase_texts_of_anonymised_person(db: AsyncSession, event: DomainEvent) -> None:
    """A person erased: what they wrote in their evaluations goes, and nothing stays published."""
    role = event.resource
    await repo.erase_texts_of(db, role, event.subject[f"{role}_id"])
