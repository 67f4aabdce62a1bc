"""What sessions do when other domains change: the handlers of their domain events."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import events
from app.core.events import DomainEvent
from app.sessions import repository as repo


@events.subscribe("match.declined", "match.cancelled", "match.completed", "match.ended")
async def cancel_planned_of_closed_match(db: AsyncSession, event: DomainEvent) -> None:
    """Meetings still planned for a closed match no longer take anyone's time."""
    await repo.cancel_planned(
        db, event.subject["match_id"], f"match {event.data['status']}", event.occurred_at
    )


@events.subscribe("mentor.anonymised", "mentee.anonymised")
async def erase_content_of_anonymised_person(db: AsyncSession, event: DomainEvent) -> None:
    """A person erased: their private notes, and what the pair wrote about them, go too."""
    role = event.resource
    account_id = event.data.get("account_id")
    if account_id is not None:
        await repo.delete_notes_of(db, account_id)
    await repo.erase_content_of(db, role, event.subject[f"{role}_id"])
