"""Closing a match cancels the meetings still planned for it."""

from datetime import UTC, datetime, timedelta

from tests.factories import login_as, make_hub
from tests.matches.helpers import make_mentee, make_mentor, participant
from tests.sessions.test_sessions_smoke import active_match


async def test_ending_a_match_cancels_its_planned_sessions_and_frees_the_time(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub)
    mentee = await make_mentee(hub)
    match = await active_match(client, hub, coord, mentor, mentee)
    me = await participant(client, "mentee", hub, mentee.id)
    later = (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0)
    planned = await client.post(
        "/api/v1/sessions",
        json={"match_id": match["id"], "scheduled_at": later.isoformat(), "mode": "video"},
        headers=me.headers,
    )
    assert planned.status_code == 201, planned.text
    ended = await client.post(
        f"/api/v1/matches/{match['id']}/end", json={"reason": "Déménagement"}, headers=coord.headers
    )
    assert ended.status_code == 200, ended.text
    session = await client.get(f"/api/v1/sessions/{planned.json()['id']}", headers=me.headers)
    assert session.json()["status"] == "cancelled"
    assert session.json()["cancel_reason"] == "match ended_early"
    feed = await client.post("/api/v1/users/me/calendar-feed", headers=me.headers)
    ics = await client.get(f"/api/v1/calendar/{feed.json()['token']}.ics")
    assert b"VEVENT" not in ics.content
