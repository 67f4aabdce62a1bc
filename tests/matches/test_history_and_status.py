"""The mentee's status follows their match, and every action is in the history, in order."""

from __future__ import annotations

from datetime import datetime

from tests.matches.common import (
    ACTIVATION,
    accept_both,
    act,
    activated,
    history,
    mentee_status,
    proposed_pair,
)
from tests.matches.helpers import make_mentor, participant, propose

REASON = {"reason": "Incompatibilité d'horaires"}


async def test_the_mentee_goes_waiting_matched_active_completed(client):
    pair = await proposed_pair(client)
    assert await mentee_status(client, pair.coord, pair.mentee) == "matched"
    await accept_both(client, pair)
    assert await mentee_status(client, pair.coord, pair.mentee) == "matched"
    assert (await act(client, pair.coord, pair.id, "activate", ACTIVATION)).status_code == 200
    assert await mentee_status(client, pair.coord, pair.mentee) == "active"
    assert (await act(client, pair.coord, pair.id, "complete")).status_code == 200
    assert await mentee_status(client, pair.coord, pair.mentee) == "completed"


async def test_the_mentee_waits_again_after_a_decline(client):
    pair = await proposed_pair(client)
    r = await act(client, pair.coord, pair.id, "decline", {**REASON, "side": "mentee"})
    assert r.status_code == 200, r.text
    assert await mentee_status(client, pair.coord, pair.mentee) == "waiting"


async def test_the_mentee_waits_again_after_a_cancel(client):
    pair = await proposed_pair(client)
    await accept_both(client, pair)
    assert (await act(client, pair.coord, pair.id, "cancel", REASON)).status_code == 200
    assert await mentee_status(client, pair.coord, pair.mentee) == "waiting"


async def test_the_mentee_waits_again_after_an_early_end_and_can_be_matched_again(client):
    pair = await proposed_pair(client)
    await activated(client, pair)
    assert (await act(client, pair.coord, pair.id, "end", REASON)).status_code == 200
    assert await mentee_status(client, pair.coord, pair.mentee) == "waiting"
    other = await make_mentor(pair.hub)
    r = await propose(client, pair.coord, other, pair.mentee)
    assert r.status_code == 201, r.text
    assert await mentee_status(client, pair.coord, pair.mentee) == "matched"


async def test_the_history_lists_every_action_in_order(client):
    pair = await proposed_pair(client)
    mentor = await participant(client, "mentor", pair.hub, pair.mentor.id)
    assert (await act(client, mentor, pair.id, "accept")).status_code == 200
    r = await act(client, pair.coord, pair.id, "accept", {"side": "mentee"})
    assert r.status_code == 200, r.text
    assert (await act(client, pair.coord, pair.id, "activate", ACTIVATION)).status_code == 200
    assert (await act(client, pair.coord, pair.id, "end", REASON)).status_code == 200

    entries = await history(client, pair.coord, pair.id)
    coord = {"type": "user", "id": str(pair.coord.user.id)}
    assert [
        (e["action"], e["actor"], e["from_status"], e["to_status"], e["reason"]) for e in entries
    ] == [
        ("proposed", coord, None, "proposed", None),
        (
            "accepted_by_mentor",
            {"type": "user", "id": str(mentor.user.id)},
            "proposed",
            "proposed",
            None,
        ),
        ("accepted_by_mentee", coord, "proposed", "accepted", None),
        ("activated", coord, "accepted", "active", None),
        ("ended_early", coord, "active", "ended_early", REASON["reason"]),
    ]
    times = [datetime.fromisoformat(e["at"]) for e in entries]
    assert all(t.tzinfo is not None for t in times)
    assert times == sorted(times)


async def test_the_history_of_a_declined_and_a_cancelled_match(client):
    declined = await proposed_pair(client)
    mentee = await participant(client, "mentee", declined.hub, declined.mentee.id)
    assert (await act(client, mentee, declined.id, "decline", REASON)).status_code == 200
    entries = await history(client, declined.coord, declined.id)
    assert [(e["action"], e["from_status"], e["to_status"], e["reason"]) for e in entries] == [
        ("proposed", None, "proposed", None),
        ("declined", "proposed", "declined", REASON["reason"]),
    ]
    assert entries[-1]["actor"] == {"type": "user", "id": str(mentee.user.id)}

    cancelled = await proposed_pair(client)
    await accept_both(client, cancelled)
    assert (await act(client, cancelled.coord, cancelled.id, "cancel", REASON)).status_code == 200
    entries = await history(client, cancelled.coord, cancelled.id)
    assert [(e["action"], e["from_status"], e["to_status"]) for e in entries][-1] == (
        "cancelled",
        "accepted",
        "cancelled",
    )


async def test_participants_read_the_history_of_their_own_match(client):
    pair = await proposed_pair(client)
    me = await participant(client, "mentee", pair.hub, pair.mentee.id)
    entries = await history(client, me, pair.id)
    assert [e["action"] for e in entries] == ["proposed"]
