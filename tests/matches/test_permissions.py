"""Who may do what on a match: participants, other participants, other hubs, API clients."""

from __future__ import annotations

import pytest

from tests.factories import login_as, make_hub
from tests.helpers import assert_names_field, assert_problem, new_api_client
from tests.matches.common import (
    ACTIVATION,
    accept_both,
    act,
    propose_ids,
    proposed_pair,
)
from tests.matches.helpers import make_mentee, make_mentor, participant

REASON = {"reason": "Changement de plans"}


async def _client_headers(client, pair, scopes):  # type: ignore[no-untyped-def]
    """Headers of a new API client of the pair's hub with these scopes."""
    admin = await login_as(client, "admin")
    created = await new_api_client(client, admin.headers, pair.hub.id, scopes)
    r = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created["client_id"],
            "client_secret": created["client_secret"],
        },
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.mark.parametrize("role", ["mentor", "mentee"])
async def test_a_participant_cannot_run_staff_transitions(client, role):
    pair = await proposed_pair(client)
    profile = pair.mentor if role == "mentor" else pair.mentee
    me = await participant(client, role, pair.hub, profile.id)
    assert_problem(await act(client, me, pair.id, "cancel", REASON), 403, "forbidden")
    await accept_both(client, pair)
    assert_problem(await act(client, me, pair.id, "activate", ACTIVATION), 403, "forbidden")
    assert (await act(client, pair.coord, pair.id, "activate", ACTIVATION)).status_code == 200
    assert_problem(await act(client, me, pair.id, "complete"), 403, "forbidden")
    assert_problem(await act(client, me, pair.id, "end", REASON), 403, "forbidden")
    r = await client.get(f"/api/v1/matches/{pair.id}", headers=me.headers)
    assert r.status_code == 200 and r.json()["status"] == "active"


async def test_a_participant_cannot_propose(client):
    pair = await proposed_pair(client)
    me = await participant(client, "mentor", pair.hub, pair.mentor.id)
    other = await make_mentee(pair.hub)
    assert_problem(await propose_ids(client, me, pair.mentor.id, other.id), 403, "forbidden")


async def test_a_mentor_of_another_match_sees_nothing_of_this_one(client):
    pair = await proposed_pair(client)
    stranger_profile = await make_mentor(pair.hub)
    stranger = await participant(client, "mentor", pair.hub, stranger_profile.id)
    assert_problem(await client.get(f"/api/v1/matches/{pair.id}", headers=stranger.headers), 404)
    r = await client.get(f"/api/v1/matches/{pair.id}/history", headers=stranger.headers)
    assert_problem(r, 404)
    for action, body in (("accept", None), ("decline", REASON), ("cancel", REASON)):
        assert_problem(await act(client, stranger, pair.id, action, body), 404, "not-found")
    listed = await client.get("/api/v1/matches", headers=stranger.headers)
    assert listed.json()["items"] == []


async def test_a_mentee_of_another_match_cannot_accept_this_one(client):
    pair = await proposed_pair(client)
    other_profile = await make_mentee(pair.hub)
    other = await participant(client, "mentee", pair.hub, other_profile.id)
    assert_problem(await act(client, other, pair.id, "accept"), 404, "not-found")


async def test_a_coordinator_of_another_hub_gets_404(client):
    pair = await proposed_pair(client)
    elsewhere = await login_as(client, "coordinator", await make_hub())
    assert_problem(await client.get(f"/api/v1/matches/{pair.id}", headers=elsewhere.headers), 404)
    r = await act(client, elsewhere, pair.id, "accept", {"side": "mentor"})
    assert_problem(r, 404, "not-found")
    assert_problem(await act(client, elsewhere, pair.id, "cancel", REASON), 404, "not-found")
    listed = await client.get("/api/v1/matches", headers=elsewhere.headers)
    assert listed.json()["items"] == []


async def test_an_admin_acts_on_any_hub(client):
    pair = await proposed_pair(client)
    admin = await login_as(client, "admin")
    r = await act(client, admin, pair.id, "accept", {"side": "mentor"})
    assert r.status_code == 200, r.text
    assert (await act(client, admin, pair.id, "cancel", REASON)).status_code == 200


async def test_ids_outside_reach_are_422_naming_the_field(client):
    pair = await proposed_pair(client)
    other_hub = await make_hub()
    far_mentor = await make_mentor(other_hub)
    far_mentee = await make_mentee(other_hub)
    near_mentee = await make_mentee(pair.hub)
    near_mentor = await make_mentor(pair.hub)
    r = await propose_ids(client, pair.coord, far_mentor.id, near_mentee.id)
    assert_names_field(r, "mentor_id")
    r = await propose_ids(client, pair.coord, near_mentor.id, far_mentee.id)
    assert_names_field(r, "mentee_id")
    missing = "00000000-0000-4000-8000-000000000000"
    assert_names_field(await propose_ids(client, pair.coord, missing, near_mentee.id), "mentor_id")
    assert_names_field(await propose_ids(client, pair.coord, near_mentor.id, missing), "mentee_id")
    # a mentor id given as a mentee id is not a mentee
    r = await propose_ids(client, pair.coord, near_mentor.id, near_mentor.id)
    assert_names_field(r, "mentee_id")


async def test_an_admin_cannot_pair_across_hubs(client):
    pair = await proposed_pair(client)
    admin = await login_as(client, "admin")
    far_mentee = await make_mentee(await make_hub())
    r = await propose_ids(client, admin, pair.mentor.id, far_mentee.id)
    assert_problem(r, 422, "validation-error")


async def test_an_api_client_with_matches_write_proposes_and_manages(client):
    pair = await proposed_pair(client)
    headers = await _client_headers(client, pair, ("matches:write",))
    mentor = await make_mentor(pair.hub)
    mentee = await make_mentee(pair.hub)
    r = await propose_ids(client, headers, mentor.id, mentee.id)
    assert r.status_code == 201, r.text
    match_id = r.json()["id"]
    for side in ("mentor", "mentee"):
        r = await client.post(
            f"/api/v1/matches/{match_id}/accept", json={"side": side}, headers=headers
        )
        assert r.status_code == 200, r.text
    history = await client.get(f"/api/v1/matches/{match_id}/history", headers=headers)
    assert history.json()["items"][0]["actor"]["type"] == "api_client"


async def test_an_api_client_with_only_matches_read_reads_but_cannot_write(client):
    pair = await proposed_pair(client)
    headers = await _client_headers(client, pair, ("matches:read",))
    r = await client.get(f"/api/v1/matches/{pair.id}", headers=headers)
    assert r.status_code == 200, r.text
    mentee = await make_mentee(pair.hub)
    assert_problem(await propose_ids(client, headers, pair.mentor.id, mentee.id), 403, "forbidden")
    r = await client.post(
        f"/api/v1/matches/{pair.id}/accept", json={"side": "mentor"}, headers=headers
    )
    assert_problem(r, 403, "forbidden")
    r = await client.post(f"/api/v1/matches/{pair.id}/cancel", json=REASON, headers=headers)
    assert_problem(r, 403, "forbidden")


async def test_an_api_client_without_match_scopes_sees_no_match(client):
    pair = await proposed_pair(client)
    headers = await _client_headers(client, pair, ("mentors:read",))
    # A route the client may not use at all is 403 (issue 9), not 404.
    assert_problem(await client.get(f"/api/v1/matches/{pair.id}", headers=headers), 403)


async def test_an_api_client_of_another_hub_gets_404(client):
    pair = await proposed_pair(client)
    other = await proposed_pair(client)
    headers = await _client_headers(client, other, ("matches:write",))
    r = await client.post(f"/api/v1/matches/{pair.id}/cancel", json=REASON, headers=headers)
    assert_problem(r, 404, "not-found")
    r = await propose_ids(client, headers, pair.mentor.id, pair.mentee.id)
    assert_names_field(r, "mentor_id")


async def test_without_a_token_is_401(client):
    pair = await proposed_pair(client)
    r = await client.post(f"/api/v1/matches/{pair.id}/accept", json={"side": "mentor"})
    assert_problem(r, 401)
    r = await client.get(f"/api/v1/matches/{pair.id}", headers=pair.coord.headers)
    assert r.json()["mentor_accepted_at"] is None
