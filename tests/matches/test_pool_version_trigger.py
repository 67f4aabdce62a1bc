"""The suggestions cache's pool version follows every mentor write, whoever makes it."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.db import unit_of_work
from app.hubs.models import Hub
from app.mentors.models import Mentor
from tests.factories import make_hub
from tests.matches.helpers import make_mentor

HUB = Hub.__table__  # type: ignore[attr-defined]
MENTOR = Mentor.__table__  # type: ignore[attr-defined]


async def _version(hub_id) -> int:
    async with unit_of_work(write=False) as db:
        value = await db.scalar(sa.select(HUB.c.mentor_pool_version).where(HUB.c.id == hub_id))
    return int(value)


async def _run(statement) -> None:
    # Core statements on the table, as an import script would write them: no service runs.
    async with unit_of_work(write=True) as db:
        await db.execute(statement)


async def test_raw_inserts_updates_moves_and_deletes_of_mentors_bump_their_hubs(app):
    hub, other = await make_hub(), await make_hub()
    start = await _version(hub.id)
    mentor = await make_mentor(hub)
    assert await _version(hub.id) == start + 1
    await _run(sa.update(MENTOR).where(MENTOR.c.id == mentor.id).values(capacity=3))
    assert await _version(hub.id) == start + 2
    before_other = await _version(other.id)
    await _run(sa.update(MENTOR).where(MENTOR.c.id == mentor.id).values(hub_id=other.id))
    assert await _version(hub.id) == start + 3
    assert await _version(other.id) == before_other + 1
    await _run(sa.delete(MENTOR).where(MENTOR.c.id == mentor.id))
    assert await _version(other.id) == before_other + 2
    assert await _version(hub.id) == start + 3
