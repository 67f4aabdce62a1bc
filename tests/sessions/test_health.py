"""Relationship health on matches, each rule with a controlled clock."""

import uuid
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.core.db import unit_of_work
from app.hubs.models import Hub
from app.matches.models import Match
from tests.sessions.common import API, NOW, act, freeze, held, make_pair, scheduled

TODAY = date(2026, 6, 15)  # NOW in Montréal


def days_ago(n: int) -> str:
    """A date n days before TODAY."""
    return (TODAY - timedelta(days=n)).isoformat()


async def health(client, pair) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The match's health as its coordinator reads it."""
    r = await client.get(f"{API}/matches/{pair.id}", headers=pair.coord.headers)
    assert r.status_code == 200, r.text
    result: dict = r.json()["health"]  # type: ignore[type-arg]
    return result


async def test_no_recent_session_at_45_days_then_stalled_at_90(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client, starts_on=days_ago(10))
    await held(client, pair, NOW - timedelta(days=3))
    assert await health(client, pair) == {"status": "ok", "reasons": []}
    for days, expected in ((44, "ok"), (45, "at_risk"), (89, "at_risk"), (90, "stalled")):
        freeze(monkeypatch, NOW + timedelta(days=days - 3))
        result = await health(client, pair)
        assert result["status"] == expected, (days, result)
        assert ("no_recent_session" in result["reasons"]) == (expected != "ok")


async def test_without_any_session_the_quiet_time_counts_from_the_start(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client, starts_on=days_ago(44))
    assert await health(client, pair) == {"status": "ok", "reasons": []}
    freeze(monkeypatch, NOW + timedelta(days=1))
    assert await health(client, pair) == {"status": "at_risk", "reasons": ["no_recent_session"]}


async def test_a_meeting_counts_on_its_montreal_date(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client, starts_on="2026-04-20")
    # 21:00 in Montréal on May 1 is already May 2 in UTC: 45 days before June 15 all the same.
    await held(client, pair, datetime(2026, 5, 2, 1, 0, tzinfo=UTC))
    result = await health(client, pair)
    assert result == {"status": "at_risk", "reasons": ["no_recent_session"]}


async def test_each_hub_sets_its_own_threshold(client, monkeypatch):
    freeze(monkeypatch)
    strict = await make_pair(client, starts_on=days_ago(60))
    relaxed = await make_pair(client, starts_on=days_ago(60))
    for pair in (strict, relaxed):
        await held(client, pair, NOW - timedelta(days=30))
    async with unit_of_work(write=True) as db:
        await db.execute(
            sa.update(Hub).where(Hub.id == strict.hub.id).values(health_at_risk_days=21)  # type: ignore[arg-type]
        )
        await db.execute(
            sa.update(Hub).where(Hub.id == relaxed.hub.id).values(health_stalled_days=30)  # type: ignore[arg-type]
        )
    assert await health(client, strict) == {"status": "at_risk", "reasons": ["no_recent_session"]}
    assert (await health(client, relaxed))["status"] == "stalled"


async def test_behind_the_monthly_cadence(client, monkeypatch):
    freeze(monkeypatch)
    # January 15 to June 15: five months, so at least four meetings held.
    on_pace = await make_pair(client, starts_on="2026-01-15")
    behind = await make_pair(client, starts_on="2026-01-15")
    for month in (3, 4, 5, 6):
        await held(client, on_pace, datetime(2026, month, 1, 15, tzinfo=UTC))
        if month != 3:
            await held(client, behind, datetime(2026, month, 1, 15, tzinfo=UTC))
    # A missed meeting is not a meeting held.
    missed = await scheduled(
        client, behind.mentor_user, behind.id, datetime(2026, 3, 1, 15, tzinfo=UTC)
    )
    assert (await act(client, behind.coord, missed["id"], "no-show")).status_code == 200
    assert await health(client, on_pace) == {"status": "ok", "reasons": []}
    assert await health(client, behind) == {"status": "at_risk", "reasons": ["behind_cadence"]}
    # The participants read the same health.
    r = await client.get(f"{API}/matches/{behind.id}", headers=behind.mentee_user.headers)
    assert r.json()["health"] == {"status": "at_risk", "reasons": ["behind_cadence"]}


async def test_midpoint_review_is_due_for_a_month(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(
        client, starts_on=days_ago(60), ends_on=(TODAY + timedelta(days=60)).isoformat()
    )
    await held(client, pair, NOW - timedelta(days=5))
    assert await health(client, pair) == {"status": "ok", "reasons": ["midpoint_review_due"]}
    freeze(monkeypatch, NOW - timedelta(days=1))
    assert "midpoint_review_due" not in (await health(client, pair))["reasons"]
    freeze(monkeypatch, NOW + timedelta(days=30))
    assert "midpoint_review_due" not in (await health(client, pair))["reasons"]


async def test_follow_up_is_due_three_months_after_closing(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client, starts_on="2025-03-14")
    r = await client.post(f"{API}/matches/{pair.id}/complete", headers=pair.coord.headers)
    assert r.status_code == 200, r.text
    # Closed on the evening of March 14 in Montréal (already March 15 in UTC).
    closed = datetime(2026, 3, 15, 1, 30, tzinfo=UTC)
    async with unit_of_work(write=True) as db:
        await db.execute(
            sa.update(Match).where(Match.id == uuid.UUID(pair.id)).values(closed_at=closed)
        )  # type: ignore[arg-type]
    for moment, due in (
        (datetime(2026, 6, 13, 16, tzinfo=UTC), False),
        (datetime(2026, 6, 14, 16, tzinfo=UTC), True),
        (datetime(2026, 7, 13, 16, tzinfo=UTC), True),
        (datetime(2026, 7, 14, 16, tzinfo=UTC), False),
    ):
        freeze(monkeypatch, moment)
        result = await health(client, pair)
        assert result == {"status": "ok", "reasons": ["follow_up_due"] if due else []}, moment


async def test_the_at_risk_filter_lists_exactly_those(client, monkeypatch):
    freeze(monkeypatch)
    fine = await make_pair(client, starts_on=days_ago(10))
    hub, coord = fine.hub, fine.coord
    at_risk = await make_pair(client, hub, coord, starts_on=days_ago(50))
    stalled = await make_pair(client, hub, coord, starts_on=days_ago(100))
    proposed = await make_pair(client, hub, coord, status="proposed")
    elsewhere = await make_pair(client, starts_on=days_ago(50))

    async def listed(headers, status):  # type: ignore[no-untyped-def]
        r = await client.get(f"{API}/matches", params={"health": status}, headers=headers)
        assert r.status_code == 200, r.text
        return {(m["id"], m["health"]["status"]) for m in r.json()["items"]}

    assert await listed(coord.headers, "at_risk") == {(at_risk.id, "at_risk")}
    assert await listed(coord.headers, "stalled") == {(stalled.id, "stalled")}
    assert await listed(coord.headers, "ok") == {(fine.id, "ok"), (proposed.id, "ok")}
    assert await listed(elsewhere.coord.headers, "at_risk") == {(elsewhere.id, "at_risk")}
    r = await client.get(f"{API}/matches", params={"health": "bad"}, headers=coord.headers)
    assert r.status_code == 422
