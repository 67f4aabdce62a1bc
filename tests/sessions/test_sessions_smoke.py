"""A pair plans and holds a meeting; its content stays between them."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from tests.factories import login_as, make_hub
from tests.matches.helpers import make_mentee, make_mentor, participant, propose


async def active_match(client, hub, coord, mentor, mentee):
    match = (await propose(client, coord, mentor, mentee)).json()
    for side in ("mentor", "mentee"):
        r = await client.post(
            f"/api/v1/matches/{match['id']}/accept", json={"side": side}, headers=coord.headers
        )
        assert r.status_code == 200, r.text
    r = await client.post(
        f"/api/v1/matches/{match['id']}/activate",
        json={"agreement_signed_on": "2026-01-10", "starts_on": "2026-01-15"},
        headers=coord.headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_schedule_hold_and_confidentiality(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub)
    mentee = await make_mentee(hub)
    match = await active_match(client, hub, coord, mentor, mentee)
    me = await participant(client, "mentee", hub, mentee.id)
    past = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0)
    r = await client.post(
        "/api/v1/sessions",
        json={
            "match_id": match["id"],
            "scheduled_at": past.isoformat(),
            "duration_minutes": 60,
            "mode": "video",
            "agenda": "Parler du conseil d'administration",
        },
        headers=me.headers,
    )
    assert r.status_code == 201, r.text
    session = r.json()
    assert session["agenda"] == "Parler du conseil d'administration"
    overlap = await client.post(
        "/api/v1/sessions",
        json={
            "match_id": match["id"],
            "scheduled_at": (past + timedelta(minutes=30)).isoformat(),
            "mode": "video",
        },
        headers=coord.headers,
    )
    assert overlap.status_code == 409
    assert overlap.json()["type"] == "session-overlap"
    staff_view = await client.get(f"/api/v1/sessions/{session['id']}", headers=coord.headers)
    assert "agenda" not in staff_view.json() and "summary" not in staff_view.json()
    r = await client.post(
        f"/api/v1/sessions/{session['id']}/hold",
        json={"duration_minutes": 75, "summary": "Plan d'action"},
        headers=me.headers,
    )
    assert r.status_code == 200, r.text
    r = await client.put(
        f"/api/v1/sessions/{session['id']}/private-note",
        json={"text": "Je me sens mieux"},
        headers=me.headers,
    )
    assert r.status_code == 200, r.text
    assert (
        await client.get(f"/api/v1/sessions/{session['id']}/private-note", headers=me.headers)
    ).json()["text"] == "Je me sens mieux"
    r = await client.get(f"/api/v1/sessions/{session['id']}/private-note", headers=coord.headers)
    assert r.status_code == 403
    ics = await client.get(f"/api/v1/sessions/{session['id']}/calendar.ics", headers=me.headers)
    assert ics.status_code == 200
    cal = Calendar.from_ical(ics.content)
    assert len(list(cal.walk("VEVENT"))) == 1
    assert b"Plan d'action" not in ics.content
    feed = await client.post("/api/v1/users/me/calendar-feed", headers=me.headers)
    assert feed.status_code == 201, feed.text
    token = feed.json()["token"]
    r = await client.get(f"/api/v1/calendar/{token}.ics")
    assert r.status_code == 200, r.text
    m = await client.get(f"/api/v1/matches/{match['id']}", headers=coord.headers)
    assert m.json()["health"]["status"] in ("ok", "at_risk", "stalled")
