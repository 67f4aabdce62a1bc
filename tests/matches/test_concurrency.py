"""The pairing rules and the state machine hold under real simultaneous requests.

The requests run concurrently on one event loop through the in-process ASGI client: each
has its own connection and transaction, so PostgreSQL's row locks and SQLite's immediate
transactions are what keeps them apart.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import sqlalchemy as sa

from app.core.db import unit_of_work
from app.matches.models import OPEN_STATUSES, Match
from tests.factories import login_as, make_hub
from tests.matches.common import ACTIVATION, accept_both, act, history, proposed_pair
from tests.matches.helpers import make_mentee, make_mentor, participant, propose


async def _open_matches_of(mentor_id) -> int:  # type: ignore[no-untyped-def]
    async with unit_of_work(write=False) as db:
        stmt = (
            sa.select(sa.func.count())
            .select_from(Match)
            .where(Match.mentor_id == mentor_id, Match.status.in_(OPEN_STATUSES))  # type: ignore[attr-defined]
        )
        return int((await db.execute(stmt)).scalar_one())
    raise AssertionError("no session")


def _problem_types(responses) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(r.json().get("type", "") for r in responses if r.status_code != 201)


async def test_capacity_holds_under_simultaneous_proposals(client):
    capacity = 3
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub, capacity=capacity)
    mentees = [await make_mentee(hub) for _ in range(capacity + 5)]

    responses = await asyncio.gather(*(propose(client, coord, mentor, m) for m in mentees))

    codes = Counter(r.status_code for r in responses)
    assert codes == {201: capacity, 409: 5}, [r.text for r in responses if r.status_code >= 500]
    assert _problem_types(responses) == {"capacity-reached": 5}
    assert await _open_matches_of(mentor.id) == capacity
    listed = await client.get(
        f"/api/v1/matches?mentor_id={mentor.id}&status=proposed", headers=coord.headers
    )
    assert len(listed.json()["items"]) == capacity


async def test_one_mentee_proposed_to_two_mentors_at_once(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    first, second = await make_mentor(hub), await make_mentor(hub)
    mentee = await make_mentee(hub)

    responses = await asyncio.gather(
        propose(client, coord, first, mentee), propose(client, coord, second, mentee)
    )

    assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
    assert _problem_types(responses) == {"mentee-has-open-match": 1}
    listed = await client.get(f"/api/v1/matches?mentee_id={mentee.id}", headers=coord.headers)
    assert len(listed.json()["items"]) == 1


async def test_two_simultaneous_accepts_of_one_side_make_one_transition(client):
    pair = await proposed_pair(client)
    mentor = await participant(client, "mentor", pair.hub, pair.mentor.id)

    responses = await asyncio.gather(
        act(client, mentor, pair.id, "accept"),
        act(client, pair.coord, pair.id, "accept", {"side": "mentor"}),
    )

    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    assert _problem_types(r for r in responses if r.status_code != 200) == {"invalid-transition": 1}
    actions = [e["action"] for e in await history(client, pair.coord, pair.id)]
    assert actions == ["proposed", "accepted_by_mentor"]


async def test_two_simultaneous_activations_make_one_transition(client):
    pair = await proposed_pair(client)
    await accept_both(client, pair)
    admin = await login_as(client, "admin")

    responses = await asyncio.gather(
        act(client, pair.coord, pair.id, "activate", ACTIVATION),
        act(client, admin, pair.id, "activate", {**ACTIVATION, "ends_on": "2026-12-31"}),
    )

    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200).json()
    stored = await client.get(f"/api/v1/matches/{pair.id}", headers=pair.coord.headers)
    assert stored.json()["ends_on"] == winner["ends_on"]
    actions = [e["action"] for e in await history(client, pair.coord, pair.id)]
    assert actions.count("activated") == 1


async def test_the_last_two_acceptances_at_once_accept_the_match_once(client):
    pair = await proposed_pair(client)
    mentor = await participant(client, "mentor", pair.hub, pair.mentor.id)
    mentee = await participant(client, "mentee", pair.hub, pair.mentee.id)

    responses = await asyncio.gather(
        act(client, mentor, pair.id, "accept"), act(client, mentee, pair.id, "accept")
    )

    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    assert sorted(r.json()["status"] for r in responses) == ["accepted", "proposed"]
    entries = await history(client, pair.coord, pair.id)
    assert [e["to_status"] for e in entries] == ["proposed", "proposed", "accepted"]


async def test_a_cancel_racing_a_new_proposal_keeps_one_open_match(client):
    pair = await proposed_pair(client, capacity=1)
    other = await make_mentor(pair.hub)

    responses = await asyncio.gather(
        act(client, pair.coord, pair.id, "cancel", {"reason": "Autre mentor"}),
        propose(client, pair.coord, other, pair.mentee),
    )

    assert responses[0].status_code == 200, responses[0].text
    assert responses[1].status_code in (201, 409), responses[1].text
    listed = await client.get(
        f"/api/v1/matches?mentee_id={pair.mentee.id}", headers=pair.coord.headers
    )
    open_ones = [m for m in listed.json()["items"] if m["status"] in OPEN_STATUSES]
    assert len(open_ones) == (1 if responses[1].status_code == 201 else 0)
    status = await client.get(f"/api/v1/mentees/{pair.mentee.id}", headers=pair.coord.headers)
    assert status.json()["status"] == ("matched" if open_ones else "waiting")


async def test_two_simultaneous_applies_of_one_run_create_its_matches_once(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    for _ in range(3):
        await make_mentor(hub, capacity=1)
        await make_mentee(hub)
    run = await client.post("/api/v1/matching-runs", json={}, headers=coord.headers)
    assert run.status_code == 201, run.text
    url = f"/api/v1/matching-runs/{run.json()['id']}/apply"

    responses = await asyncio.gather(*(client.post(url, headers=coord.headers) for _ in range(2)))

    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    listed = await client.get("/api/v1/matches", headers=coord.headers)
    assert len(listed.json()["items"]) == 3


async def test_applying_a_run_while_staff_propose_the_same_people_crosswise(client):
    """Apply locks many mentors and mentees; hand proposals lock them too: no deadlock."""
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentors = [await make_mentor(hub, capacity=1) for _ in range(4)]
    mentees = [await make_mentee(hub) for _ in range(4)]
    run = await client.post("/api/v1/matching-runs", json={}, headers=coord.headers)
    assert run.status_code == 201, run.text
    proposals = run.json()["proposals"]
    assert len(proposals) == 4
    by_mentee = {p["mentee_id"]: p["mentor_id"] for p in proposals}
    mentor_of = {str(m.id): m for m in mentors}
    # each hand proposal crosses the run: the mentor the run gives the next mentee
    crossing = [
        propose(client, coord, mentor_of[by_mentee[str(mentees[(i + 1) % 4].id)]], mentees[i])
        for i in range(4)
    ]
    apply = client.post(f"/api/v1/matching-runs/{run.json()['id']}/apply", headers=coord.headers)

    responses = await asyncio.gather(apply, *crossing)

    assert all(r.status_code < 500 for r in responses), [r.text for r in responses]
    assert responses[0].status_code == 200
    report = responses[0].json()["apply_report"]
    by_hand = sum(r.status_code == 201 for r in responses[1:])
    assert len(report["created"]) + by_hand <= 4
    for mentor in mentors:
        assert await _open_matches_of(mentor.id) <= 1
    listed = await client.get("/api/v1/matches", headers=coord.headers)
    per_mentee = Counter(m["mentee_id"] for m in listed.json()["items"])
    assert all(count == 1 for count in per_mentee.values())
    assert len(report["created"]) + by_hand == len(listed.json()["items"])
