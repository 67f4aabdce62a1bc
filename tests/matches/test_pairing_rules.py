"""Each pairing rule refuses a proposal with 409 and the problem type that names it."""

from __future__ import annotations

import pytest

from tests.factories import login_as, make_hub
from tests.helpers import EN, assert_problem
from tests.matches.common import accept_both, act, activated, mentee_status, proposed_pair
from tests.matches.helpers import make_mentee, make_mentor, propose

REASON = {"reason": "Pas le bon moment"}


async def _setup(client):  # type: ignore[no-untyped-def]
    hub = await make_hub()
    return hub, await login_as(client, "coordinator", hub)


async def test_capacity_reached(client):
    hub, coord = await _setup(client)
    mentor = await make_mentor(hub, capacity=2)
    for _ in range(2):
        assert (await propose(client, coord, mentor, await make_mentee(hub))).status_code == 201
    late = await make_mentee(hub)
    body = assert_problem(await propose(client, coord, mentor, late), 409, "capacity-reached")
    assert body["title"]
    assert await mentee_status(client, coord, late) == "waiting"
    english = await client.post(
        "/api/v1/matches",
        json={"mentor_id": str(mentor.id), "mentee_id": str(late.id)},
        headers={**coord.headers, **EN},
    )
    assert assert_problem(english, 409, "capacity-reached")["title"] != body["title"]


async def test_a_closed_match_frees_its_place(client):
    pair = await proposed_pair(client, capacity=1)
    late = await make_mentee(pair.hub)
    assert_problem(await propose(client, pair.coord, pair.mentor, late), 409, "capacity-reached")
    assert (await act(client, pair.coord, pair.id, "cancel", REASON)).status_code == 200
    assert (await propose(client, pair.coord, pair.mentor, late)).status_code == 201


async def test_accepted_and_active_matches_count_against_capacity(client):
    pair = await proposed_pair(client, capacity=1)
    await accept_both(client, pair)
    late = await make_mentee(pair.hub)
    assert_problem(await propose(client, pair.coord, pair.mentor, late), 409, "capacity-reached")
    assert (
        await act(
            client,
            pair.coord,
            pair.id,
            "activate",
            {"agreement_signed_on": "2026-01-10", "starts_on": "2026-01-15"},
        )
    ).status_code == 200
    assert_problem(await propose(client, pair.coord, pair.mentor, late), 409, "capacity-reached")
    assert (await act(client, pair.coord, pair.id, "complete")).status_code == 200
    assert (await propose(client, pair.coord, pair.mentor, late)).status_code == 201


async def test_mentee_has_open_match(client):
    pair = await proposed_pair(client)
    other = await make_mentor(pair.hub)
    r = await propose(client, pair.coord, other, pair.mentee)
    assert_problem(r, 409, "mentee-has-open-match")
    # the same pair again is refused for the same reason
    r = await propose(client, pair.coord, pair.mentor, pair.mentee)
    assert_problem(r, 409, "mentee-has-open-match")


async def test_no_common_language(client):
    hub, coord = await _setup(client)
    mentor = await make_mentor(hub, languages=["en"])
    mentee = await make_mentee(hub, languages=["fr", "es"])
    assert_problem(await propose(client, coord, mentor, mentee), 409, "no-common-language")
    bilingual = await make_mentor(hub, languages=["en", "es"])
    assert (await propose(client, coord, bilingual, mentee)).status_code == 201


@pytest.mark.parametrize(
    "written",
    [
        "Coopérative de l'Aube",
        "COOPERATIVE DE L AUBE",
        "  coopérative  de  l’aube. ",
        "Cooperative-de-l'Aube",
    ],
)
async def test_conflict_of_interest_ignores_case_accents_and_punctuation(client, written):
    hub, coord = await _setup(client)
    mentor = await make_mentor(hub, excluded_organizations=[written])
    mentee = await make_mentee(hub, organization_name="Coopérative de l'Aube")
    assert_problem(await propose(client, coord, mentor, mentee), 409, "conflict-of-interest")


async def test_a_different_organisation_is_no_conflict(client):
    hub, coord = await _setup(client)
    mentor = await make_mentor(hub, excluded_organizations=["Coopérative de l'Aube"])
    mentee = await make_mentee(hub, organization_name="Coopérative de l'Aurore")
    assert (await propose(client, coord, mentor, mentee)).status_code == 201


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "candidate"},
        {"status": "paused"},
        {"status": "retired"},
        {"trained_on": None},
        {"ethics_signed_on": None},
    ],
)
async def test_mentor_not_eligible(client, fields):
    hub, coord = await _setup(client)
    mentor = await make_mentor(hub, **fields)
    mentee = await make_mentee(hub)
    assert_problem(await propose(client, coord, mentor, mentee), 409, "mentor-not-eligible")
    assert await mentee_status(client, coord, mentee) == "waiting"


@pytest.mark.parametrize("status", ["applicant", "withdrawn"])
async def test_mentee_not_waiting(client, status):
    hub, coord = await _setup(client)
    mentor = await make_mentor(hub)
    mentee = await make_mentee(hub, status=status)
    assert_problem(await propose(client, coord, mentor, mentee), 409, "mentee-not-waiting")


async def test_a_completed_mentee_is_not_waiting(client):
    pair = await proposed_pair(client)
    await activated(client, pair)
    assert (await act(client, pair.coord, pair.id, "complete")).status_code == 200
    other = await make_mentor(pair.hub)
    r = await propose(client, pair.coord, other, pair.mentee)
    assert_problem(r, 409, "mentee-not-waiting")


async def test_pair_previously_ended_after_a_decline(client):
    pair = await proposed_pair(client)
    r = await act(client, pair.coord, pair.id, "decline", {**REASON, "side": "mentor"})
    assert r.status_code == 200, r.text
    r = await propose(client, pair.coord, pair.mentor, pair.mentee)
    assert_problem(r, 409, "pair-previously-ended")
    other = await make_mentor(pair.hub)
    assert (await propose(client, pair.coord, other, pair.mentee)).status_code == 201


async def test_pair_previously_ended_after_an_early_end(client):
    pair = await proposed_pair(client)
    await activated(client, pair)
    assert (await act(client, pair.coord, pair.id, "end", REASON)).status_code == 200
    r = await propose(client, pair.coord, pair.mentor, pair.mentee)
    assert_problem(r, 409, "pair-previously-ended")


async def test_a_cancelled_pair_may_be_proposed_again(client):
    pair = await proposed_pair(client)
    await accept_both(client, pair)
    assert (await act(client, pair.coord, pair.id, "cancel", REASON)).status_code == 200
    again = await propose(client, pair.coord, pair.mentor, pair.mentee)
    assert again.status_code == 201, again.text
    assert again.json()["id"] != pair.id
    assert again.json()["mentor_accepted_at"] is None


async def test_a_refused_proposal_writes_nothing(client):
    hub, coord = await _setup(client)
    mentor = await make_mentor(hub, languages=["en"])
    mentee = await make_mentee(hub)
    assert_problem(await propose(client, coord, mentor, mentee), 409, "no-common-language")
    listed = await client.get(f"/api/v1/matches?mentee_id={mentee.id}", headers=coord.headers)
    assert listed.json()["items"] == []
