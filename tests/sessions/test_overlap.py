"""One person is never booked twice at once; back-to-back is fine; a cancellation frees the slot."""

import asyncio
from datetime import timedelta

from tests.factories import login_as, make_hub
from tests.helpers import assert_problem
from tests.matches.helpers import make_mentor, participant
from tests.sessions.common import API, NOW, act, freeze, make_pair, open_match, schedule, scheduled

SLOT = NOW + timedelta(days=7)  # a one-hour meeting from SLOT


async def _mentor_with_two_mentees(client):  # type: ignore[no-untyped-def]
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub, capacity=2)
    mentor_user = await participant(client, "mentor", hub, mentor.id)
    first = await make_pair(client, hub, coord, mentor=mentor, mentor_user=mentor_user)
    second = await make_pair(client, hub, coord, mentor=mentor, mentor_user=mentor_user)
    return first, second


async def test_a_mentor_is_not_booked_twice_across_their_matches(client, monkeypatch):
    freeze(monkeypatch)
    first, second = await _mentor_with_two_mentees(client)
    await scheduled(client, first.mentee_user, first.id, SLOT)
    for start in (SLOT, SLOT + timedelta(minutes=30), SLOT - timedelta(minutes=30)):
        r = await schedule(client, second.mentee_user, second.id, start)
        body = assert_problem(r, 409, "session-overlap")
        assert body["detail"]
    # A longer meeting that would swallow the first one is refused too.
    r = await schedule(
        client, second.coord, second.id, SLOT - timedelta(hours=1), duration_minutes=180
    )
    assert_problem(r, 409, "session-overlap")
    r = await client.get(f"{API}/sessions", headers=second.coord.headers)
    assert len(r.json()["items"]) == 1


async def test_back_to_back_sessions_are_fine(client, monkeypatch):
    freeze(monkeypatch)
    first, second = await _mentor_with_two_mentees(client)
    await scheduled(client, first.mentee_user, first.id, SLOT)
    await scheduled(client, second.mentee_user, second.id, SLOT + timedelta(hours=1))
    await scheduled(
        client, second.mentee_user, second.id, SLOT - timedelta(minutes=45), duration_minutes=45
    )


async def test_a_mentee_is_not_booked_twice(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    # A meeting of the mentee's previous match, which ended early, still took their time.
    held = await scheduled(client, pair.mentee_user, pair.id, NOW - timedelta(days=20))
    r = await act(client, pair.mentee_user, held["id"], "hold", {"duration_minutes": 60})
    assert r.status_code == 200
    r = await client.post(
        f"{API}/matches/{pair.id}/end", json={"reason": "Mésentente"}, headers=pair.coord.headers
    )
    assert r.status_code == 200, r.text
    other_mentor = await make_mentor(pair.hub)
    match = await open_match(client, pair.coord, other_mentor, pair.mentee)
    mentor_user = await participant(client, "mentor", pair.hub, other_mentor.id)
    r = await schedule(client, mentor_user, match["id"], NOW - timedelta(days=20, minutes=-30))
    assert_problem(r, 409, "session-overlap")
    # Right after that meeting, the mentee is free.
    await scheduled(client, mentor_user, match["id"], NOW - timedelta(days=20, minutes=-60))


async def test_the_same_pair_cannot_overlap_itself(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    await scheduled(client, pair.mentor_user, pair.id, SLOT)
    r = await schedule(client, pair.mentee_user, pair.id, SLOT + timedelta(minutes=59))
    assert_problem(r, 409, "session-overlap")


async def test_a_cancelled_session_frees_the_slot(client, monkeypatch):
    freeze(monkeypatch)
    first, second = await _mentor_with_two_mentees(client)
    session = await scheduled(client, first.mentee_user, first.id, SLOT)
    assert_problem(
        await schedule(client, second.mentee_user, second.id, SLOT), 409, "session-overlap"
    )
    r = await act(client, first.mentor_user, session["id"], "cancel", {"reason": "Empêchement"})
    assert r.status_code == 200
    await scheduled(client, second.mentee_user, second.id, SLOT)


async def test_rescheduling_into_a_busy_slot_is_refused(client, monkeypatch):
    freeze(monkeypatch)
    first, second = await _mentor_with_two_mentees(client)
    await scheduled(client, first.mentee_user, first.id, SLOT)
    session = await scheduled(client, second.mentee_user, second.id, SLOT + timedelta(hours=2))
    url = f"{API}/sessions/{session['id']}"
    r = await client.patch(url, json={"duration_minutes": 60}, headers=second.mentee_user.headers)
    assert r.status_code == 200
    r = await client.patch(
        url,
        json={"scheduled_at": (SLOT + timedelta(minutes=15)).isoformat()},
        headers=second.mentee_user.headers,
    )
    assert_problem(r, 409, "session-overlap")
    # Stretching it backwards over the first meeting is an overlap too.
    r = await client.patch(
        url,
        json={"scheduled_at": (SLOT + timedelta(minutes=30)).isoformat(), "duration_minutes": 30},
        headers=second.mentee_user.headers,
    )
    assert_problem(r, 409, "session-overlap")
    # Nothing changed: the refused reschedule left the session where it was.
    r = await client.get(url, headers=second.mentee_user.headers)
    assert r.json()["version"] == 2
    # Moving a session within its own slot is not an overlap with itself.
    r = await client.patch(
        url,
        json={"scheduled_at": (SLOT + timedelta(hours=2, minutes=30)).isoformat()},
        headers=second.mentee_user.headers,
    )
    assert r.status_code == 200, r.text


async def test_two_bookings_of_one_slot_at_once_leave_one_session(client, monkeypatch):
    freeze(monkeypatch)
    first, second = await _mentor_with_two_mentees(client)
    answers = await asyncio.gather(
        *(
            schedule(client, pair.mentee_user, pair.id, SLOT + timedelta(minutes=10 * i))
            for i, pair in enumerate((first, second, first, second))
        )
    )
    codes = sorted(r.status_code for r in answers)
    assert codes == [201, 409, 409, 409], [r.text for r in answers]
    r = await client.get(f"{API}/sessions", headers=first.coord.headers)
    assert len(r.json()["items"]) == 1
