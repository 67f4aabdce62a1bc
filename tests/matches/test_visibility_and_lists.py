"""What each side of a match sees of the other, and the filters of the match list."""

from __future__ import annotations

import pytest

from tests.factories import login_as, make_hub
from tests.helpers import assert_problem
from tests.matches.common import ACTIVATION, accept_both, act, activated, proposed_pair
from tests.matches.helpers import make_mentee, make_mentor, participant, propose

REASON = {"reason": "Pas disponible"}
MENTOR_HIDDEN = {
    "capacity",
    "status",
    "trained_on",
    "ethics_signed_on",
    "excluded_organizations",
    "consent",
}
MENTEE_HIDDEN = {"status", "consent"}


async def _views(client, pair):  # type: ignore[no-untyped-def]
    """(mentee's view of the mentor, mentor's view of the mentee)."""
    mentee = await participant(client, "mentee", pair.hub, pair.mentee.id)
    mentor = await participant(client, "mentor", pair.hub, pair.mentor.id)
    seen_mentor = await client.get(f"/api/v1/mentors/{pair.mentor.id}", headers=mentee.headers)
    seen_mentee = await client.get(f"/api/v1/mentees/{pair.mentee.id}", headers=mentor.headers)
    return seen_mentor, seen_mentee


def _assert_reduced(seen_mentor, seen_mentee) -> None:  # type: ignore[no-untyped-def]
    assert seen_mentor.status_code == 200, seen_mentor.text
    assert seen_mentee.status_code == 200, seen_mentee.text
    assert not MENTOR_HIDDEN & set(seen_mentor.json()), seen_mentor.json()
    assert not MENTEE_HIDDEN & set(seen_mentee.json()), seen_mentee.json()
    assert seen_mentor.json()["first_name"] == "Marie"
    assert seen_mentee.json()["first_name"] == "Luc"


async def _to(client, pair, status):  # type: ignore[no-untyped-def]
    if status in ("accepted", "active", "completed", "ended_early"):
        await accept_both(client, pair)
    if status in ("active", "completed", "ended_early"):
        assert (await act(client, pair.coord, pair.id, "activate", ACTIVATION)).status_code == 200
    if status == "completed":
        assert (await act(client, pair.coord, pair.id, "complete")).status_code == 200
    if status == "ended_early":
        assert (await act(client, pair.coord, pair.id, "end", REASON)).status_code == 200


@pytest.mark.parametrize("status", ["proposed", "accepted", "active", "completed", "ended_early"])
async def test_each_side_sees_the_other_reduced(client, status):
    pair = await proposed_pair(client)
    await _to(client, pair, status)
    _assert_reduced(*await _views(client, pair))


async def test_nothing_is_seen_after_a_declined_proposal(client):
    pair = await proposed_pair(client)
    r = await act(client, pair.coord, pair.id, "decline", {**REASON, "side": "mentor"})
    assert r.status_code == 200, r.text
    seen_mentor, seen_mentee = await _views(client, pair)
    assert_problem(seen_mentor, 404, "not-found")
    assert_problem(seen_mentee, 404, "not-found")


async def test_nothing_is_seen_after_a_cancelled_acceptance(client):
    pair = await proposed_pair(client)
    await accept_both(client, pair)
    assert (await act(client, pair.coord, pair.id, "cancel", REASON)).status_code == 200
    seen_mentor, seen_mentee = await _views(client, pair)
    assert_problem(seen_mentor, 404)
    assert_problem(seen_mentee, 404)


async def test_a_participant_sees_only_their_counterpart_in_lists(client):
    pair = await proposed_pair(client)
    await make_mentor(pair.hub)
    await make_mentee(pair.hub)
    mentee = await participant(client, "mentee", pair.hub, pair.mentee.id)
    listed = await client.get("/api/v1/mentors", headers=mentee.headers)
    assert listed.status_code == 200, listed.text
    assert [m["id"] for m in listed.json()["items"]] == [str(pair.mentor.id)]
    assert not MENTOR_HIDDEN & set(listed.json()["items"][0])


async def test_the_other_mentees_of_a_mentor_stay_hidden_from_a_mentee(client):
    pair = await proposed_pair(client)
    other = await make_mentee(pair.hub)
    assert (await propose(client, pair.coord, pair.mentor, other)).status_code == 201
    mentee = await participant(client, "mentee", pair.hub, pair.mentee.id)
    r = await client.get(f"/api/v1/mentees/{other.id}", headers=mentee.headers)
    assert_problem(r, 404)


async def test_participants_read_their_match_with_its_breakdown(client):
    pair = await proposed_pair(client)
    await activated(client, pair)
    for role, profile in (("mentor", pair.mentor), ("mentee", pair.mentee)):
        me = await participant(client, role, pair.hub, profile.id)
        r = await client.get(f"/api/v1/matches/{pair.id}", headers=me.headers)
        assert r.status_code == 200, r.text
        assert set(r.json()["breakdown"]) == {
            "needs",
            "sector",
            "legal_form",
            "proximity",
            "availability",
            "experience",
        }
        listed = await client.get("/api/v1/matches", headers=me.headers)
        assert [m["id"] for m in listed.json()["items"]] == [pair.id]


# --- list filters ---------------------------------------------------------------------------


async def test_lists_filter_by_status_mentor_mentee_and_hub(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor_a = await make_mentor(hub, capacity=3)
    mentor_b = await make_mentor(hub)
    mentees = [await make_mentee(hub) for _ in range(3)]
    ids = []
    for mentor, mentee in ((mentor_a, mentees[0]), (mentor_a, mentees[1]), (mentor_b, mentees[2])):
        r = await propose(client, coord, mentor, mentee)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    r = await act(client, coord, ids[1], "cancel", REASON)
    assert r.status_code == 200, r.text
    elsewhere = await proposed_pair(client)
    admin = await login_as(client, "admin")

    async def listed(who, query: str) -> set[str]:  # type: ignore[no-untyped-def]
        r = await client.get(f"/api/v1/matches?{query}", headers=who.headers)
        assert r.status_code == 200, r.text
        return {m["id"] for m in r.json()["items"]}

    assert await listed(coord, "") == set(ids)
    assert await listed(coord, "status=proposed") == {ids[0], ids[2]}
    assert await listed(coord, "status=cancelled") == {ids[1]}
    assert await listed(coord, f"mentor_id={mentor_a.id}") == {ids[0], ids[1]}
    assert await listed(coord, f"mentee_id={mentees[2].id}") == {ids[2]}
    assert await listed(coord, f"mentor_id={mentor_a.id}&status=proposed") == {ids[0]}
    assert await listed(coord, f"hub_id={elsewhere.hub.id}") == set()
    assert await listed(admin, f"hub_id={hub.id}") == set(ids)
    assert await listed(admin, f"hub_id={elsewhere.hub.id}") == {elsewhere.id}
    r = await client.get("/api/v1/matches?status=finished", headers=coord.headers)
    assert_problem(r, 422, "validation-error")


async def test_lists_page_with_a_cursor(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub, capacity=3)
    for _ in range(3):
        assert (await propose(client, coord, mentor, await make_mentee(hub))).status_code == 201
    first = await client.get("/api/v1/matches?limit=2", headers=coord.headers)
    assert len(first.json()["items"]) == 2 and first.json()["next_cursor"]
    cursor = first.json()["next_cursor"]
    second = await client.get(f"/api/v1/matches?limit=2&cursor={cursor}", headers=coord.headers)
    assert len(second.json()["items"]) == 1
    seen = {m["id"] for m in first.json()["items"] + second.json()["items"]}
    assert len(seen) == 3
