"""Every transition of the match state machine, with its body rules, and every invalid one."""

from __future__ import annotations

import pytest

from tests.helpers import assert_names_field, assert_problem
from tests.matches.common import (
    ACTIVATION,
    accept_both,
    act,
    activated,
    history,
    proposed_pair,
)
from tests.matches.helpers import participant

REASON = {"reason": "Le mentor déménage"}


async def test_participants_accept_their_own_side_with_an_empty_body(client):
    pair = await proposed_pair(client)
    mentor = await participant(client, "mentor", pair.hub, pair.mentor.id)
    mentee = await participant(client, "mentee", pair.hub, pair.mentee.id)

    r = await act(client, mentor, pair.id, "accept")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "proposed"
    assert r.json()["mentor_accepted_at"] is not None
    assert r.json()["mentee_accepted_at"] is None

    r = await act(client, mentee, pair.id, "accept", {})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "accepted"
    assert r.json()["mentee_accepted_at"] is not None


async def test_a_participant_may_name_their_own_side_but_not_the_other(client):
    pair = await proposed_pair(client)
    mentee = await participant(client, "mentee", pair.hub, pair.mentee.id)
    assert_names_field(await act(client, mentee, pair.id, "accept", {"side": "mentor"}), "side")
    r = await act(client, mentee, pair.id, "accept", {"side": "mentee"})
    assert r.status_code == 200, r.text
    assert r.json()["mentee_accepted_at"] is not None
    assert r.json()["mentor_accepted_at"] is None


async def test_staff_record_a_side_and_must_say_which(client):
    pair = await proposed_pair(client)
    assert_names_field(await act(client, pair.coord, pair.id, "accept"), "side")
    assert_names_field(await act(client, pair.coord, pair.id, "accept", {}), "side")
    assert_names_field(
        await act(client, pair.coord, pair.id, "accept", {"side": "coordinator"}), "side"
    )
    r = await act(client, pair.coord, pair.id, "accept", {"side": "mentee"})
    assert r.status_code == 200, r.text
    assert r.json()["mentee_accepted_at"] is not None
    entries = await history(client, pair.coord, pair.id)
    assert entries[-1]["action"] == "accepted_by_mentee"
    assert entries[-1]["actor"] == {"type": "user", "id": str(pair.coord.user.id)}


@pytest.mark.parametrize("action", ["decline", "cancel"])
async def test_decline_and_cancel_require_a_reason(client, action):
    pair = await proposed_pair(client)
    body = {"side": "mentor"} if action == "decline" else {}
    assert_names_field(await act(client, pair.coord, pair.id, action, body), "reason")
    assert_names_field(
        await act(client, pair.coord, pair.id, action, {**body, "reason": "   "}), "reason"
    )
    r = await act(client, pair.coord, pair.id, action, {**body, **REASON})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == ("declined" if action == "decline" else "cancelled")
    assert r.json()["end_reason"] == REASON["reason"]


async def test_end_requires_a_reason(client):
    pair = await proposed_pair(client)
    await activated(client, pair)
    assert_names_field(await act(client, pair.coord, pair.id, "end", {}), "reason")
    r = await act(client, pair.coord, pair.id, "end", REASON)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ended_early"
    assert r.json()["end_reason"] == REASON["reason"]


async def test_a_participant_declines_their_own_proposal(client):
    pair = await proposed_pair(client)
    mentor = await participant(client, "mentor", pair.hub, pair.mentor.id)
    assert_names_field(
        await act(client, mentor, pair.id, "decline", {**REASON, "side": "mentee"}), "side"
    )
    r = await act(client, mentor, pair.id, "decline", REASON)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "declined"


async def test_staff_decline_needs_only_a_reason(client):
    pair = await proposed_pair(client)
    r = await act(client, pair.coord, pair.id, "decline", REASON)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "declined"


async def test_staff_may_name_the_declining_side(client):
    pair = await proposed_pair(client)
    r = await act(client, pair.coord, pair.id, "decline", {**REASON, "side": "mentee"})
    assert r.status_code == 200, r.text


async def test_cancel_an_accepted_match(client):
    pair = await proposed_pair(client)
    await accept_both(client, pair)
    r = await act(client, pair.coord, pair.id, "cancel", REASON)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled"


async def test_activate_defaults_the_end_to_twelve_months_later(client):
    pair = await proposed_pair(client)
    await accept_both(client, pair)
    r = await act(client, pair.coord, pair.id, "activate", ACTIVATION)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "active"
    assert body["agreement_signed_on"] == "2026-01-10"
    assert body["starts_on"] == "2026-01-15"
    assert body["ends_on"] == "2027-01-15"


async def test_activate_on_the_last_day_of_february_of_a_leap_year(client):
    pair = await proposed_pair(client)
    await accept_both(client, pair)
    body = {"agreement_signed_on": "2024-02-20", "starts_on": "2024-02-29"}
    r = await act(client, pair.coord, pair.id, "activate", body)
    assert r.status_code == 200, r.text
    assert r.json()["ends_on"] == "2025-02-28"


async def test_activate_with_an_explicit_end(client):
    pair = await proposed_pair(client)
    await accept_both(client, pair)
    body = {**ACTIVATION, "ends_on": "2026-10-31"}
    r = await act(client, pair.coord, pair.id, "activate", body)
    assert r.status_code == 200, r.text
    assert r.json()["ends_on"] == "2026-10-31"


async def test_activate_validates_its_dates(client):
    pair = await proposed_pair(client)
    await accept_both(client, pair)
    assert_names_field(
        await act(client, pair.coord, pair.id, "activate", {"starts_on": "2026-01-15"}),
        "agreement_signed_on",
    )
    assert_names_field(
        await act(client, pair.coord, pair.id, "activate", {"agreement_signed_on": "2026-01-10"}),
        "starts_on",
    )
    r = await act(client, pair.coord, pair.id, "activate", {**ACTIVATION, "ends_on": "2026-01-01"})
    assert_problem(r, 422, "validation-error")
    r = await act(
        client, pair.coord, pair.id, "activate", {**ACTIVATION, "agreement_signed_on": "2999-01-01"}
    )
    assert_names_field(r, "agreement_signed_on")
    still = await client.get(f"/api/v1/matches/{pair.id}", headers=pair.coord.headers)
    assert still.json()["status"] == "accepted"


async def test_complete_an_active_match(client):
    pair = await proposed_pair(client)
    await activated(client, pair)
    r = await act(client, pair.coord, pair.id, "complete")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "completed"


async def test_a_transition_bumps_the_version_and_etag(client):
    pair = await proposed_pair(client)
    r = await act(client, pair.coord, pair.id, "accept", {"side": "mentor"})
    assert r.json()["version"] == pair.match["version"] + 1
    assert r.headers["etag"].strip('W/"') == str(r.json()["version"])


# --- invalid transitions ------------------------------------------------------------------------

ACTIVATE = ("activate", ACTIVATION)
COMPLETE = ("complete", None)
END = ("end", REASON)
CANCEL = ("cancel", REASON)
DECLINE = ("decline", {**REASON, "side": "mentor"})
ACCEPT = ("accept", {"side": "mentor"})


async def _at(client, status):  # type: ignore[no-untyped-def]
    """A pair whose match is in the given status."""
    pair = await proposed_pair(client)
    if status in ("accepted", "active", "completed", "ended_early"):
        await accept_both(client, pair)
    if status in ("active", "completed", "ended_early"):
        assert (await act(client, pair.coord, pair.id, *ACTIVATE)).status_code == 200
    steps = {
        "completed": COMPLETE,
        "ended_early": END,
        "declined": DECLINE,
        "cancelled": CANCEL,
    }
    if status in steps:
        r = await act(client, pair.coord, pair.id, *steps[status])
        assert r.json()["status"] == status, r.text
    return pair


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("proposed", ACTIVATE),
        ("proposed", COMPLETE),
        ("proposed", END),
        ("accepted", COMPLETE),
        ("accepted", DECLINE),
        ("accepted", ACCEPT),
        ("accepted", END),
        ("active", CANCEL),
        ("active", DECLINE),
        ("active", ACTIVATE),
        ("active", ACCEPT),
    ],
)
async def test_invalid_transitions_are_409(client, status, step):
    pair = await _at(client, status)
    before = await history(client, pair.coord, pair.id)
    r = await act(client, pair.coord, pair.id, *step)
    assert_problem(r, 409, "invalid-transition")
    after = await client.get(f"/api/v1/matches/{pair.id}", headers=pair.coord.headers)
    assert after.json()["status"] == status
    assert await history(client, pair.coord, pair.id) == before


@pytest.mark.parametrize("status", ["completed", "ended_early", "declined", "cancelled"])
async def test_nothing_happens_to_a_closed_match(client, status):
    pair = await _at(client, status)
    for step in (ACCEPT, DECLINE, CANCEL, ACTIVATE, COMPLETE, END):
        r = await act(client, pair.coord, pair.id, *step)
        assert_problem(r, 409, "invalid-transition")
    after = await client.get(f"/api/v1/matches/{pair.id}", headers=pair.coord.headers)
    assert after.json()["status"] == status


async def test_accepting_twice_for_one_side_is_409(client):
    pair = await proposed_pair(client)
    mentor = await participant(client, "mentor", pair.hub, pair.mentor.id)
    assert (await act(client, mentor, pair.id, "accept")).status_code == 200
    assert_problem(await act(client, mentor, pair.id, "accept"), 409, "invalid-transition")
    r = await act(client, pair.coord, pair.id, "accept", {"side": "mentor"})
    assert_problem(r, 409, "invalid-transition")
    assert [e["action"] for e in await history(client, pair.coord, pair.id)] == [
        "proposed",
        "accepted_by_mentor",
    ]
