"""Messages caused by changes: each sent once, to the right people, in their language."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from app.core.db import unit_of_work
from app.core.events import DomainEvent, publish
from tests.notifications.common import (
    API,
    NOW,
    Mailbox,
    active_match,
    attachments,
    freeze,
    html_of,
    people,
    propose,
    text_of,
    work,
)

pytestmark = pytest.mark.usefixtures("smtp")


async def test_a_match_tells_each_side_once_in_their_language(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    p = await people(client)
    match_id = await propose(client, p)
    assert (await work())["send_queued"] == 2
    mentor_mail = smtp.to(p.mentor_user.user.email)
    mentee_mail = smtp.to(p.mentee_user.user.email)
    assert [m["Subject"] for m in mentor_mail] == ["Un jumelage vous est proposé"]
    assert [m["Subject"] for m in mentee_mail] == ["A mentoring match is proposed to you"]
    # Each side reads who the other is, and what to do next.
    assert "Luc" in text_of(mentor_mail[0]) and "accepter ou décliner" in text_of(mentor_mail[0])
    assert "Marie" in text_of(mentee_mail[0]) and "accept or decline" in text_of(mentee_mail[0])
    assert f"https://portail.example.org/matches/{match_id}" in html_of(mentee_mail[0])
    assert mentor_mail[0]["From"] == "Mentorat <mentorat@example.org>"

    smtp.clear()
    for who in (p.mentor_user, p.mentee_user):
        r = await client.post(f"{API}/matches/{match_id}/accept", headers=who.headers)
        assert r.status_code == 200, r.text
    await work()
    # The mentee accepted last: only the mentor is told.
    assert [m["Subject"] for m in smtp.messages] == ["Votre jumelage est accepté"]
    assert smtp.messages[0]["To"] == p.mentor_user.user.email

    smtp.clear()
    r = await client.post(
        f"{API}/matches/{match_id}/activate",
        json={"agreement_signed_on": "2026-06-10", "starts_on": "2026-06-12"},
        headers=p.coord.headers,
    )
    assert r.status_code == 200, r.text
    await work()
    subjects = sorted(m["Subject"] for m in smtp.messages)
    assert subjects == ["Votre jumelage commence", "Your mentoring match begins"]
    assert "June 12, 2026" in text_of(smtp.to(p.mentee_user.user.email)[0])

    # Nothing is ever sent twice.
    smtp.clear()
    assert await work() == {"queue_time_based": 0, "send_queued": 0}
    assert smtp.messages == []


async def test_session_changes_come_with_the_calendar_file_and_no_content(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    p = await people(client)
    match_id = await active_match(client, p)
    await work()
    smtp.clear()
    at = NOW + timedelta(days=10)
    r = await client.post(
        f"{API}/sessions",
        json={
            "match_id": match_id,
            "scheduled_at": at.isoformat(),
            "mode": "video",
            "agenda": "Ordre du jour confidentiel",
        },
        headers=p.mentor_user.headers,
    )
    assert r.status_code == 201, r.text
    session = r.json()
    await work()
    assert sorted(m["To"] for m in smtp.messages) == sorted(
        [p.mentor_user.user.email, p.mentee_user.user.email]
    )
    mentee_mail = smtp.to(p.mentee_user.user.email)[0]
    # 16:00 UTC is noon in Montréal.
    assert mentee_mail["Subject"] == "Session scheduled on Thursday, June 25, 2026 at 12:00"
    files = attachments(mentee_mail)
    assert [f.get_filename() for f in files] == ["session.ics"]
    assert files[0].get_content_type() == "text/calendar"
    ics = files[0].get_content()
    assert "DTSTART:20260625T160000Z" in (ics if isinstance(ics, str) else ics.decode())
    mentor_files = attachments(smtp.to(p.mentor_user.user.email)[0])
    assert [f.get_filename() for f in mentor_files] == ["rencontre.ics"]

    smtp.clear()
    later = at + timedelta(days=1)
    r = await client.patch(
        f"{API}/sessions/{session['id']}",
        json={"scheduled_at": later.isoformat()},
        headers=p.mentee_user.headers,
    )
    assert r.status_code == 200, r.text
    await work()
    assert sorted(m["Subject"] for m in smtp.messages) == [
        "Rencontre déplacée au vendredi 26 juin 2026 à 12 h 00",
        "Session moved to Friday, June 26, 2026 at 12:00",
    ]

    smtp.clear()
    r = await client.post(
        f"{API}/sessions/{session['id']}/cancel",
        json={"reason": "Empêchement"},
        headers=p.mentee_user.headers,
    )
    assert r.status_code == 200, r.text
    await work()
    assert len(smtp.messages) == 2
    cancelled = attachments(smtp.to(p.mentee_user.user.email)[0])[0].get_content()
    assert "STATUS:CANCELLED" in (cancelled if isinstance(cancelled, str) else cancelled.decode())

    r = await client.get(f"{API}/notifications?limit=200", headers=(await admin(client)).headers)
    assert r.status_code == 200
    for message in smtp.messages:
        body = message.as_string()
        assert "confidentiel" not in body and "Empêchement" not in body


async def admin(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
    """A logged-in admin."""
    from tests.factories import login_as

    return await login_as(client, "admin")


async def test_closing_a_match_asks_both_sides_for_their_evaluation(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    p = await people(client)
    match_id = await active_match(client, p)
    await work()
    smtp.clear()
    r = await client.post(f"{API}/matches/{match_id}/complete", headers=p.coord.headers)
    assert r.status_code == 200, r.text
    await work()
    assert sorted(m["Subject"] for m in smtp.messages) == [
        "Votre bilan de mentorat",
        "Your mentoring evaluation",
    ]
    assert f"/matches/{match_id}/evaluation" in text_of(smtp.to(p.mentee_user.user.email)[0])

    # A week later, a side that has not evaluated yet is reminded once; the other is not.
    r = await client.put(
        f"{API}/matches/{match_id}/evaluations/me",
        json={"satisfaction": 5, "goals_met": 4},
        headers=p.mentor_user.headers,
    )
    assert r.status_code in (200, 201), r.text
    smtp.clear()
    week_later = NOW + timedelta(days=8)
    freeze(monkeypatch, week_later)
    await work(week_later)
    await work(week_later)
    assert [(m["To"], m["Subject"]) for m in smtp.messages] == [
        (p.mentee_user.user.email, "Your mentoring evaluation")
    ]
    assert "not filled in yet" in text_of(smtp.messages[0])


async def test_a_rolled_back_change_sends_nothing(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    p = await people(client)
    event = DomainEvent(
        type="match.proposed",
        hub_id=p.hub.id,
        subject={"match_id": p.mentee.id, "mentor_id": p.mentor.id, "mentee_id": p.mentee.id},
    )
    with pytest.raises(RuntimeError):
        async with unit_of_work(write=True) as db:
            await publish(db, event)
            raise RuntimeError("the change fails after its event")
    assert await work() == {"queue_time_based": 0, "send_queued": 0}
    assert smtp.messages == []
    # The same event in a change that commits does send.
    async with unit_of_work(write=True) as db:
        await publish(db, event)
    assert (await work())["send_queued"] == 2
