"""Scheduling, rescheduling, holding, cancelling and no-shows, and the times they show."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.core.db import get_engine
from tests.factories import login_as
from tests.helpers import assert_names_field, assert_problem
from tests.sessions.common import (
    API,
    NOW,
    act,
    freeze,
    hours,
    make_pair,
    parse,
    schedule,
    scheduled,
)


@pytest.mark.parametrize("who", ["mentor", "mentee", "coordinator", "admin"])
async def test_either_participant_or_staff_schedules(client, monkeypatch, who):
    freeze(monkeypatch)
    pair = await make_pair(client)
    caller = {
        "mentor": pair.mentor_user,
        "mentee": pair.mentee_user,
        "coordinator": pair.coord,
        "admin": await login_as(client, "admin"),
    }[who]
    r = await schedule(client, caller, pair.id, NOW + timedelta(days=7), duration_minutes=90)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "scheduled" and body["duration_minutes"] == 90
    assert body["match_id"] == pair.id and body["hub_id"] == str(pair.hub.id)
    assert r.headers["Location"] == f"/api/v1/sessions/{body['id']}"
    assert r.headers["ETag"] == '"1"'
    assert parse(body["ends_at"]) - parse(body["scheduled_at"]) == timedelta(minutes=90)


async def test_an_accepted_match_can_plan_its_first_meeting(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client, status="accepted")
    await scheduled(client, pair.mentee_user, pair.id, NOW + timedelta(days=3))


@pytest.mark.parametrize("status", ["proposed", "completed", "ended_early"])
async def test_no_session_for_a_match_that_is_not_open(client, monkeypatch, status):
    freeze(monkeypatch)
    pair = await make_pair(client, status="proposed" if status == "proposed" else "active")
    if status == "completed":
        r = await client.post(f"{API}/matches/{pair.id}/complete", headers=pair.coord.headers)
        assert r.status_code == 200, r.text
    elif status == "ended_early":
        r = await client.post(
            f"{API}/matches/{pair.id}/end", json={"reason": "Départ"}, headers=pair.coord.headers
        )
        assert r.status_code == 200, r.text
    r = await schedule(client, pair.coord, pair.id, NOW + timedelta(days=3))
    assert_problem(r, 409, "match-not-open")


async def test_a_match_out_of_reach_is_a_422_naming_match_id(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    other = await make_pair(client)
    for caller in (other.coord, other.mentor_user, other.mentee_user):
        r = await schedule(client, caller, pair.id, NOW + timedelta(days=3))
        assert_names_field(r, "match_id")


async def test_a_past_time_records_a_meeting_that_already_happened(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    session = await scheduled(client, pair.mentee_user, pair.id, NOW - timedelta(days=10))
    assert session["status"] == "scheduled"
    r = await act(client, pair.mentee_user, session["id"], "hold", {"duration_minutes": 50})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "held" and body["duration_minutes"] == 50
    assert parse(body["ends_at"]) - parse(body["scheduled_at"]) == timedelta(minutes=50)


async def test_times_are_stored_in_utc_and_shown_in_montreal(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    # The same instant written from Paris: 15:00 UTC.
    summer = await scheduled(
        client, pair.mentor_user, pair.id, datetime.fromisoformat("2026-07-20T17:00:00+02:00")
    )
    winter = await scheduled(
        client, pair.mentor_user, pair.id, datetime.fromisoformat("2026-12-07T16:00:00+01:00")
    )
    assert summer["scheduled_at"] == "2026-07-20T11:00:00-04:00"
    assert winter["scheduled_at"] == "2026-12-07T10:00:00-05:00"
    assert summer["ends_at"] == "2026-07-20T12:00:00-04:00"
    async with get_engine().connect() as conn:
        rows = await conn.execute(
            sa.text("SELECT id, scheduled_at FROM mentoring_session ORDER BY scheduled_at")
        )
        stored = [value for _, value in rows.all()]
    as_utc = [
        (datetime.fromisoformat(v) if isinstance(v, str) else v).replace(tzinfo=None)
        if not isinstance(v, datetime) or v.tzinfo is None
        else v.astimezone(UTC).replace(tzinfo=None)
        for v in stored
    ]
    assert as_utc == [datetime(2026, 7, 20, 15, 0), datetime(2026, 12, 7, 15, 0)]
    r = await client.get(f"{API}/sessions/{summer['id']}", headers=pair.coord.headers)
    assert r.json()["scheduled_at"] == "2026-07-20T11:00:00-04:00"


async def test_a_naive_time_is_refused(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    body = {"match_id": pair.id, "scheduled_at": "2026-07-20T10:00:00", "mode": "video"}
    r = await client.post(f"{API}/sessions", json=body, headers=pair.mentor_user.headers)
    assert_names_field(r, "scheduled_at")
    session = await scheduled(client, pair.mentor_user, pair.id, NOW + timedelta(days=2))
    r = await client.patch(
        f"{API}/sessions/{session['id']}",
        json={"scheduled_at": "2026-07-21T10:00:00"},
        headers=pair.mentor_user.headers,
    )
    assert_names_field(r, "scheduled_at")


async def test_reschedule_with_if_match(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    session = await scheduled(client, pair.mentee_user, pair.id, NOW + timedelta(days=2))
    url = f"{API}/sessions/{session['id']}"
    later = NOW + timedelta(days=3)
    r = await client.patch(
        url,
        json={"scheduled_at": later.isoformat(), "duration_minutes": 45, "mode": "phone"},
        headers={**pair.mentor_user.headers, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert parse(body["scheduled_at"]) == later and body["mode"] == "phone"
    assert parse(body["ends_at"]) == later + timedelta(minutes=45)
    assert body["version"] == 2 and r.headers["ETag"] == '"2"'
    # Someone still holding version 1 is told their copy is stale.
    r = await client.patch(
        url,
        json={"location": "Café"},
        headers={**pair.coord.headers, "If-Match": '"1"'},
    )
    assert_problem(r, 412, "precondition-failed")
    r = await client.patch(
        url, json={"location": "Café"}, headers={**pair.coord.headers, "If-Match": '"2"'}
    )
    assert r.status_code == 200 and r.json()["location"] == "Café"


async def test_only_a_scheduled_session_is_rescheduled(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    session = await scheduled(client, pair.mentor_user, pair.id, NOW - hours(3))
    assert (
        await act(client, pair.mentor_user, session["id"], "hold", {"duration_minutes": 60})
    ).status_code == 200
    r = await client.patch(
        f"{API}/sessions/{session['id']}",
        json={"scheduled_at": (NOW + timedelta(days=1)).isoformat()},
        headers=pair.mentor_user.headers,
    )
    assert_problem(r, 409, "invalid-transition")
    # The pair may still complete the shared summary of a held meeting.
    r = await client.patch(
        f"{API}/sessions/{session['id']}",
        json={"summary": "Suivi du budget"},
        headers=pair.mentor_user.headers,
    )
    assert r.status_code == 200 and r.json()["summary"] == "Suivi du budget"


async def test_hold_only_once_the_time_has_come(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    session = await scheduled(client, pair.mentor_user, pair.id, NOW + hours(1))
    r = await act(client, pair.mentor_user, session["id"], "hold", {"duration_minutes": 60})
    assert_problem(r, 409, "invalid-transition")
    # The hour comes: the same request now succeeds.
    freeze(monkeypatch, NOW + hours(1))
    r = await act(client, pair.coord, session["id"], "hold", {"duration_minutes": 70})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "held" and r.json()["held_at"] is not None


async def test_hold_needs_a_duration_and_takes_an_optional_summary(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    session = await scheduled(client, pair.mentee_user, pair.id, NOW - hours(2))
    r = await act(client, pair.mentee_user, session["id"], "hold", {"summary": "Plan"})
    assert_names_field(r, "duration_minutes")
    r = await act(client, pair.mentee_user, session["id"], "hold", {"duration_minutes": 0})
    assert_names_field(r, "duration_minutes")
    r = await act(
        client, pair.mentee_user, session["id"], "hold", {"duration_minutes": 60, "summary": "Plan"}
    )
    assert r.status_code == 200 and r.json()["summary"] == "Plan"


async def test_cancel_requires_a_reason(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    session = await scheduled(client, pair.mentor_user, pair.id, NOW + timedelta(days=4))
    assert_names_field(await act(client, pair.mentor_user, session["id"], "cancel", {}), "reason")
    assert_names_field(
        await act(client, pair.mentor_user, session["id"], "cancel", {"reason": ""}), "reason"
    )
    r = await act(client, pair.mentee_user, session["id"], "cancel", {"reason": "Malade"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled" and r.json()["cancel_reason"] == "Malade"


async def test_no_show_only_once_the_time_has_come(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    session = await scheduled(client, pair.mentor_user, pair.id, NOW + hours(2))
    assert_problem(
        await act(client, pair.coord, session["id"], "no-show"), 409, "invalid-transition"
    )
    freeze(monkeypatch, NOW + hours(3))
    r = await act(client, pair.coord, session["id"], "no-show")
    assert r.status_code == 200 and r.json()["status"] == "no_show"


@pytest.mark.parametrize("end", ["held", "cancelled", "no_show"])
async def test_a_closed_session_accepts_no_further_transition(client, monkeypatch, end):
    freeze(monkeypatch)
    pair = await make_pair(client)
    session = await scheduled(client, pair.mentor_user, pair.id, NOW - hours(2))
    sid = session["id"]
    first = {
        "held": ("hold", {"duration_minutes": 60}),
        "cancelled": ("cancel", {"reason": "Annulée"}),
        "no_show": ("no-show", None),
    }[end]
    assert (await act(client, pair.mentor_user, sid, *first)).status_code == 200
    for action, body in (
        ("hold", {"duration_minutes": 60}),
        ("cancel", {"reason": "Encore"}),
        ("no-show", None),
    ):
        assert_problem(
            await act(client, pair.mentor_user, sid, action, body), 409, "invalid-transition"
        )
    r = await client.patch(
        f"{API}/sessions/{sid}", json={"duration_minutes": 30}, headers=pair.mentor_user.headers
    )
    assert_problem(r, 409, "invalid-transition")
    assert (await client.get(f"{API}/sessions/{sid}", headers=pair.coord.headers)).json()[
        "status"
    ] == end


async def test_list_filters(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    other = await make_pair(client, pair.hub, pair.coord)
    past = await scheduled(client, pair.mentor_user, pair.id, NOW - timedelta(days=5))
    await act(client, pair.mentor_user, past["id"], "hold", {"duration_minutes": 60})
    future = await scheduled(client, pair.mentor_user, pair.id, NOW + timedelta(days=5))
    theirs = await scheduled(client, other.mentor_user, other.id, NOW + timedelta(days=6))

    async def ids(**params):  # type: ignore[no-untyped-def]
        r = await client.get(f"{API}/sessions", params=params, headers=pair.coord.headers)
        assert r.status_code == 200, r.text
        return [s["id"] for s in r.json()["items"]]

    assert await ids() == [past["id"], future["id"], theirs["id"]]
    assert await ids(match_id=pair.id) == [past["id"], future["id"]]
    assert await ids(status="held") == [past["id"]]
    assert await ids(**{"from": NOW.isoformat()}) == [future["id"], theirs["id"]]
    assert await ids(to=NOW.isoformat()) == [past["id"]]
    r = await client.get(
        f"{API}/sessions", params={"from": "2026-06-01T00:00:00"}, headers=pair.coord.headers
    )
    assert r.status_code == 422
