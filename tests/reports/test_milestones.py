"""The report's milestone tables follow every write of matches and sessions, whoever makes it.

`mentee_milestone` and `match_session_stats` are kept by the triggers of migration 0018. The
report reads them, so a stale row would be a wrong median or a wrong health count: each
test writes as an import script would (Core statements, no service) and compares the rows
with what the sessions and matches themselves say.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from app.core import db as core_db
from app.core.db import unit_of_work
from app.matches.models import Match, MatchEvent
from app.reports.models import MatchSessionStats, MenteeMilestone
from app.sessions.models import MentoringSession
from tests.sessions.common import freeze, held, make_pair, scheduled

MATCH = Match.__table__  # type: ignore[attr-defined]
EVENT = MatchEvent.__table__  # type: ignore[attr-defined]
SESSION = MentoringSession.__table__  # type: ignore[attr-defined]
MILESTONE = MenteeMilestone.__table__  # type: ignore[attr-defined]
STATS = MatchSessionStats.__table__  # type: ignore[attr-defined]

JAN = datetime(2026, 1, 20, 15, 0, tzinfo=UTC)
FEB = datetime(2026, 2, 17, 15, 0, tzinfo=UTC)
MAR = datetime(2026, 3, 17, 15, 0, tzinfo=UTC)


async def _run(statement: Any) -> None:
    async with unit_of_work(write=True) as db:
        await db.execute(statement)


async def _row(key: Any, *columns: Any) -> tuple[Any, ...] | None:
    async with unit_of_work(write=False) as db:
        row = (await db.execute(sa.select(*columns).where(key))).first()
    return None if row is None else tuple(row)


async def _milestone(mentee_id: Any) -> tuple[Any, ...] | None:
    m = MILESTONE.c
    return await _row(m.mentee_id == mentee_id, m.first_matched_at, m.first_session_at)


async def _stats(match_id: Any) -> tuple[Any, ...] | None:
    found = await _row(STATS.c.match_id == match_id, STATS.c.sessions_held, STATS.c.last_held_at)
    return None if found is None else (int(found[0]), found[1])


async def _match_created(match_id: Any) -> datetime:
    async with unit_of_work(write=False) as db:
        value = await db.scalar(sa.select(MATCH.c.created_at).where(MATCH.c.id == match_id))
    assert isinstance(value, datetime)
    return value


async def test_held_sessions_and_matches_written_by_raw_sql_update_the_milestones(
    app, client, monkeypatch
):
    freeze(monkeypatch)
    pair = await make_pair(client)
    match_id = uuid.UUID(pair.id)
    created = await _match_created(match_id)
    # A proposed match is a first match; no session is held yet.
    assert await _milestone(pair.mentee.id) == (created, None)
    assert await _stats(match_id) is None

    first = await held(client, pair, FEB)
    assert await _milestone(pair.mentee.id) == (created, FEB)
    assert await _stats(match_id) == (1, FEB)

    # Scheduled sessions count for nothing until they are held.
    later = uuid.UUID((await scheduled(client, pair.mentor_user, pair.id, MAR))["id"])
    assert await _stats(match_id) == (1, FEB)
    await _run(sa.update(SESSION).where(SESSION.c.id == later).values(status="held"))
    assert await _stats(match_id) == (2, MAR)

    # Rescheduling a held session to an earlier date moves the first session.
    await _run(sa.update(SESSION).where(SESSION.c.id == later).values(scheduled_at=JAN))
    assert await _milestone(pair.mentee.id) == (created, JAN)
    assert await _stats(match_id) == (2, FEB)

    # A held session marked no-show no longer counts.
    await _run(sa.update(SESSION).where(SESSION.c.id == later).values(status="no_show"))
    assert await _milestone(pair.mentee.id) == (created, FEB)
    assert await _stats(match_id) == (1, FEB)

    await _run(sa.delete(SESSION).where(SESSION.c.id == uuid.UUID(first["id"])))
    assert await _milestone(pair.mentee.id) == (created, None)
    assert await _stats(match_id) == (0, None)

    # Deleting the match (its sessions and history first) leaves the mentee without a first match.
    await _run(sa.delete(SESSION).where(SESSION.c.match_id == match_id))
    await _run(sa.delete(EVENT).where(EVENT.c.match_id == match_id))
    await _run(sa.delete(MATCH).where(MATCH.c.id == match_id))
    assert await _milestone(pair.mentee.id) == (None, None)
    assert await _stats(match_id) is None


async def test_a_statement_writing_many_rows_updates_each_mentee_and_match(
    app, client, monkeypatch
):
    freeze(monkeypatch)
    one = await make_pair(client)
    two = await make_pair(client, one.hub, one.coord)
    sessions = [
        await scheduled(client, pair.mentor_user, pair.id, moment)
        for pair in (one, two)
        for moment in (JAN, FEB)
    ]
    # One statement marks all four held (PostgreSQL: one trigger call over all of them).
    await _run(
        sa.update(SESSION)
        .where(SESSION.c.id.in_([uuid.UUID(s["id"]) for s in sessions]))
        .values(status="held")
    )
    for pair in (one, two):
        assert (await _milestone(pair.mentee.id) or (None, None))[1] == JAN
        assert await _stats(uuid.UUID(pair.id)) == (2, FEB)
    # Back-dating a match (as a migration of old records would) moves the first match.
    await _run(
        sa.update(MATCH)
        .where(MATCH.c.id == uuid.UUID(one.id))
        .values(created_at=datetime(2025, 12, 1, tzinfo=UTC))
    )
    assert (await _milestone(one.mentee.id) or (None, None))[0] == datetime(2025, 12, 1, tzinfo=UTC)
    assert (await _milestone(two.mentee.id) or (None, None))[0] == await _match_created(
        uuid.UUID(two.id)
    )


async def _wait_until_blocked(probe: Any, pid: int) -> None:
    """Until the other connection waits on a lock (bounded: 10 s)."""
    for _ in range(200):
        waiting = await probe.scalar(
            sa.text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid"),
            {"pid": pid},
        )
        if waiting:
            return
        await asyncio.sleep(0.05)
    pytest.fail("the second transaction never waited on the first")


async def test_concurrent_writes_of_one_mentee_leave_the_true_first_session(
    app, client, monkeypatch, is_postgres
):
    if not is_postgres:
        pytest.skip("SQLite serialises writers with its database lock")
    freeze(monkeypatch)
    pair = await make_pair(client)
    feb = await scheduled(client, pair.mentor_user, pair.id, FEB)
    jan = await scheduled(client, pair.mentor_user, pair.id, JAN)
    engine = core_db.get_engine()
    async with engine.connect() as first, engine.connect() as second, engine.connect() as probe:
        pid = await second.scalar(sa.text("SELECT pg_backend_pid()"))
        await second.commit()
        await first.begin()
        # The first transaction holds January's session held, not yet committed...
        await first.execute(
            sa.update(SESSION).where(SESSION.c.id == uuid.UUID(jan["id"])).values(status="held")
        )
        await second.begin()

        async def hold_february() -> None:
            await second.execute(
                sa.update(SESSION).where(SESSION.c.id == uuid.UUID(feb["id"])).values(status="held")
            )
            await second.commit()

        # ...while the second marks February's: its trigger must wait for the first,
        # then count January's too (a recomputation from its own earlier snapshot
        # would write February as the first session and one session held).
        task = asyncio.create_task(hold_february())
        await _wait_until_blocked(probe, int(pid))
        await first.commit()
        await asyncio.wait_for(task, timeout=30)
    assert (await _milestone(pair.mentee.id) or (None, None))[1] == JAN
    assert await _stats(uuid.UUID(pair.id)) == (2, FEB)
