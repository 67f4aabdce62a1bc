"""Reminders and digests, with a controlled clock: due once, caught up, never twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from app.core.db import unit_of_work
from app.mentees.models import Mentee
from tests.factories import login_as, make_hub
from tests.matches.helpers import make_mentee
from tests.notifications.common import (
    API,
    NOW,
    Mailbox,
    People,
    active_match,
    freeze,
    people,
    text_of,
    work,
)


async def _with_session(
    client: httpx.AsyncClient, smtp: Mailbox, hours_ahead: float
) -> tuple[People, dict[str, str]]:
    p = await people(client)
    match_id = await active_match(client, p)
    r = await client.post(
        f"{API}/sessions",
        json={
            "match_id": match_id,
            "scheduled_at": (NOW + timedelta(hours=hours_ahead)).isoformat(),
            "mode": "phone",
        },
        headers=p.mentor_user.headers,
    )
    assert r.status_code == 201, r.text
    await work()
    smtp.clear()
    return p, r.json()


async def test_a_reminder_goes_24_hours_before_a_session_once(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    p, _ = await _with_session(client, smtp, hours_ahead=30)
    assert await work() == {"queue_time_based": 0, "send_queued": 0}
    day_before = NOW + timedelta(hours=7)
    freeze(monkeypatch, day_before)
    assert await work(day_before) == {"queue_time_based": 2, "send_queued": 2}
    mentee_mail = smtp.to(p.mentee_user.user.email)
    assert [m["Subject"] for m in mentee_mail] == [
        "Reminder: session tomorrow, Tuesday, June 16, 2026 at 18:00"
    ]
    assert "Marie" in text_of(mentee_mail[0]) and "by phone" in text_of(mentee_mail[0])
    assert "turn these reminders off" in text_of(mentee_mail[0])
    assert "demain" in smtp.to(p.mentor_user.user.email)[0]["Subject"]
    # Later runs, and a restart, find nothing new.
    for later in (day_before + timedelta(hours=1), day_before + timedelta(hours=5)):
        assert await work(later) == {"queue_time_based": 0, "send_queued": 0}
    assert len(smtp.messages) == 2


async def test_a_worker_that_was_down_skips_reminders_of_past_sessions(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    await _with_session(client, smtp, hours_ahead=30)
    after = NOW + timedelta(hours=31)
    freeze(monkeypatch, after)
    assert await work(after) == {"queue_time_based": 0, "send_queued": 0}
    assert smtp.messages == []


async def test_a_reminder_queued_but_not_sent_before_the_session_is_skipped(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    admin = await login_as(client, "admin")
    await _with_session(client, smtp, hours_ahead=30)
    day_before = NOW + timedelta(hours=7)
    smtp.refuse_next = 2
    assert await work(day_before) == {"queue_time_based": 2, "send_queued": 0}
    # The mail server was away until after the meeting: the reminders are no use now.
    after = NOW + timedelta(hours=31)
    assert await work(after) == {"queue_time_based": 0, "send_queued": 0}
    assert smtp.messages == []
    r = await client.get(
        f"{API}/notifications", params={"template": "session_reminder"}, headers=admin.headers
    )
    assert {i["status"] for i in r.json()["items"]} == {"skipped"}


async def test_preferences_turn_reminders_off_but_never_proposals(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    p = await people(client)
    r = await client.get(f"{API}/users/me", headers=p.mentor_user.headers)
    assert r.json()["notifications"] == {"reminders": True, "digest": True}
    r = await client.patch(
        f"{API}/users/me",
        json={"notifications": {"reminders": False}},
        headers=p.mentor_user.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["notifications"] == {"reminders": False, "digest": True}
    r = await client.patch(
        f"{API}/users/me",
        json={"notifications": {"proposals": False}},
        headers=p.mentor_user.headers,
    )
    assert r.status_code == 422
    r = await client.get(f"{API}/users/me", headers=p.mentor_user.headers)
    assert r.json()["notifications"] == {"reminders": False, "digest": True}

    match_id = await active_match(client, p)
    r = await client.post(
        f"{API}/sessions",
        json={
            "match_id": match_id,
            "scheduled_at": (NOW + timedelta(hours=10)).isoformat(),
            "mode": "video",
        },
        headers=p.mentee_user.headers,
    )
    assert r.status_code == 201, r.text
    await work()
    mentor_subjects = [m["Subject"] for m in smtp.to(p.mentor_user.user.email)]
    assert "Un jumelage vous est proposé" in mentor_subjects
    assert not any(s.startswith("Rappel") for s in mentor_subjects)
    mentee_subjects = [m["Subject"] for m in smtp.to(p.mentee_user.user.email)]
    assert any(s.startswith("Reminder") for s in mentee_subjects)


async def test_two_workers_send_one_reminder(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    p, _ = await _with_session(client, smtp, hours_ahead=30)
    day_before = NOW + timedelta(hours=8)
    freeze(monkeypatch, day_before)
    first, second = await asyncio.gather(work(day_before), work(day_before))
    assert first["queue_time_based"] + second["queue_time_based"] == 2
    assert first["send_queued"] + second["send_queued"] == 2
    assert sorted(m["To"] for m in smtp.messages) == sorted(
        [p.mentor_user.user.email, p.mentee_user.user.email]
    )


async def _waiting_since(hub_id: object, days: int, **fields: object) -> Mentee:
    mentee = await make_mentee(hub_id, **fields)  # type: ignore[arg-type]
    async with unit_of_work(write=True) as db:
        row = await db.get(Mentee, mentee.id)
        assert row is not None
        row.created_at = NOW - timedelta(days=days)
    return mentee


async def test_a_weekly_digest_tells_coordinators_about_their_own_hub_only(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    p = await people(client)
    # Active since March with no session held: stalled.
    await active_match(client, p, starts_on="2026-03-01")
    await _waiting_since(p.hub, 40, first_name="Alice", last_name="Bouchard")
    await _waiting_since(p.hub, 10, first_name="Récente", last_name="Arrivée")
    other_hub = await make_hub()
    other_coord = await login_as(client, "coordinator", other_hub, locale="en")
    await _waiting_since(other_hub, 50, first_name="Zoé", last_name="Ailleurs")
    quiet_hub = await make_hub()
    quiet_coord = await login_as(client, "coordinator", quiet_hub)
    smtp.clear()

    await work()
    [digest] = smtp.to(p.coord.user.email)
    assert digest["Subject"] == f"Sommaire hebdomadaire du pôle {p.hub.name}"
    text = text_of(digest)
    assert "Luc Gagnon avec Marie Tremblay : au point mort" in text
    assert "aucune rencontre récente" in text
    assert "Alice Bouchard : en attente depuis 40 jours" in text
    assert "Récente" not in text and "Zoé" not in text
    [other] = smtp.to(other_coord.user.email)
    assert "Zoé Ailleurs: waiting for 50 days" in text_of(other)
    assert "Alice" not in other.as_string() and "Luc" not in other.as_string()
    assert smtp.to(quiet_coord.user.email) == []
    # Nobody but coordinators receives a digest.
    for participant in (p.mentor_user, p.mentee_user):
        subjects = [m["Subject"] for m in smtp.to(participant.user.email)]
        assert subjects and not any("hebdomadaire" in s or "Weekly" in s for s in subjects)

    smtp.clear()
    same_week = NOW + timedelta(days=4)
    freeze(monkeypatch, same_week)
    assert await work(same_week) == {"queue_time_based": 0, "send_queued": 0}
    next_week = NOW + timedelta(days=7)
    freeze(monkeypatch, next_week)
    await work(next_week)
    assert len(smtp.to(p.coord.user.email)) == 1

    # A coordinator who turned the digest off no longer receives it.
    smtp.clear()
    r = await client.patch(
        f"{API}/users/me", json={"notifications": {"digest": False}}, headers=p.coord.headers
    )
    assert r.status_code == 200, r.text
    week_after = NOW + timedelta(days=14)
    freeze(monkeypatch, week_after)
    await work(week_after)
    assert smtp.to(p.coord.user.email) == []
    assert len(smtp.to(other_coord.user.email)) == 1
