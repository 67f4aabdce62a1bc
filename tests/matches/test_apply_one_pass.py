"""Applying a matching run in one pass gives what proposing its pairs one by one gives."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from app.core.actor import Actor
from app.core.db import unit_of_work
from app.core.errors import ValidationFailed
from app.matches import service
from app.matches.models import Match, MatchingRun
from app.matches.schemas import MatchCreate
from app.mentees.models import Mentee
from app.outbox.models import OutboxEvent
from tests.factories import login_as, make_hub
from tests.matches.helpers import make_mentee, make_mentor

RUNS = "/api/v1/matching-runs"


async def _world(other_hub: Any) -> tuple[Any, list[tuple[uuid.UUID, uuid.UUID]]]:
    """A hub whose proposals hit every rule, in an order where earlier ones decide later ones."""
    hub = await make_hub()
    one_seat = await make_mentor(hub, capacity=1)
    two_seats = await make_mentor(hub, capacity=2)
    paused = await make_mentor(hub, status="paused")
    english = await make_mentor(hub, languages=["en"])
    conflicted = await make_mentor(hub, capacity=1, excluded_organizations=["Coop du Fleuve"])
    foreign = await make_mentor(other_hub)
    a, b, c, d, e, f, g = [await make_mentee(hub) for _ in range(7)]
    applicant = await make_mentee(hub, status="applicant")
    of_fleuve = await make_mentee(hub, organization_name="Coop du Fleuve")
    already = await make_mentee(hub)
    declined = await make_mentee(hub)
    async with unit_of_work(write=True) as db:
        db.add(Match(hub_id=hub.id, mentor_id=two_seats.id, mentee_id=already.id, status="active"))
        db.add(
            Match(hub_id=hub.id, mentor_id=two_seats.id, mentee_id=declined.id, status="declined")
        )
        mentee = await db.get(Mentee, already.id)
        assert mentee is not None
        mentee.status = "active"
    pairs = [
        (one_seat.id, a.id),  # created
        (one_seat.id, b.id),  # capacity-reached: the first used the only seat
        (two_seats.id, a.id),  # mentee-has-open-match: a was just proposed
        (two_seats.id, b.id),  # created (one seat taken by `already`'s active match)
        (two_seats.id, c.id),  # capacity-reached
        (paused.id, c.id),  # mentor-not-eligible
        (english.id, c.id),  # no-common-language
        (conflicted.id, of_fleuve.id),  # conflict-of-interest
        (conflicted.id, applicant.id),  # mentee-not-waiting
        (two_seats.id, declined.id),  # pair-previously-ended (checked before capacity)
        (foreign.id, d.id),  # not-found: another hub's mentor
        (uuid.uuid4(), e.id),  # not-found: no such mentor
        (conflicted.id, f.id),  # created
        (conflicted.id, already.id),  # mentee-has-open-match
        (conflicted.id, g.id),  # capacity-reached: f took its one seat
    ]
    return hub, pairs


async def _one_by_one(actor: Actor, pairs: list[tuple[uuid.UUID, uuid.UUID]]) -> list[str]:
    outcomes = []
    for mentor_id, mentee_id in pairs:
        try:
            async with unit_of_work(write=True) as db:
                await service.propose(
                    db, actor, MatchCreate(mentor_id=mentor_id, mentee_id=mentee_id)
                )
        except service.PairingRefused as refused:
            outcomes.append(refused.problem_type)
        except ValidationFailed:
            outcomes.append("not-found")
        else:
            outcomes.append("created")
    return outcomes


async def _statuses(hub_id: uuid.UUID) -> list[str]:
    async with unit_of_work(write=False) as db:
        rows = await db.execute(
            sa.select(Mentee.status).where(Mentee.hub_id == hub_id).order_by(Mentee.created_at)
        )
        return list(rows.scalars())


async def test_one_pass_equals_pair_by_pair(client):
    other = await make_hub()
    first, first_pairs = await _world(other)
    second, second_pairs = await _world(other)
    coord = await login_as(client, "coordinator", first)
    run = MatchingRun(
        hub_id=first.id,
        created_by_type="user",
        created_by_id=coord.user.id,
        proposals=[
            {"mentor_id": str(m), "mentee_id": str(e), "score": 0.5, "breakdown": {}}
            for m, e in first_pairs
        ],
    )
    async with unit_of_work(write=True) as db:
        db.add(run)
    applied = await client.post(f"{RUNS}/{run.id}/apply", headers=coord.headers)
    assert applied.status_code == 200, applied.text
    report = applied.json()["apply_report"]
    assert len(set(first_pairs)) == len(first_pairs)  # each (mentor, mentee) once
    reasons = {
        (uuid.UUID(s["mentor_id"]), uuid.UUID(s["mentee_id"])): s["reason"]
        for s in report["skipped"]
    }
    one_pass = [reasons.get(pair, "created") for pair in first_pairs]
    # Skipped pairs are reported in the run's order, each with its rule.
    assert [(uuid.UUID(s["mentor_id"]), uuid.UUID(s["mentee_id"])) for s in report["skipped"]] == [
        pair for pair, reason in zip(first_pairs, one_pass, strict=True) if reason != "created"
    ]

    second_coord = await login_as(client, "coordinator", second)
    actor = Actor(kind="user", id=second_coord.user.id, role="coordinator", hub_id=second.id)
    pair_by_pair = await _one_by_one(actor, second_pairs)

    assert one_pass == pair_by_pair
    assert one_pass.count("created") == 3
    assert set(one_pass) == {
        "created",
        "capacity-reached",
        "mentee-has-open-match",
        "mentor-not-eligible",
        "no-common-language",
        "conflict-of-interest",
        "mentee-not-waiting",
        "pair-previously-ended",
        "not-found",
    }
    assert await _statuses(first.id) == await _statuses(second.id)
    async with unit_of_work(write=False) as db:
        for hub in (first, second):
            made = await db.execute(
                sa.select(sa.func.count())
                .select_from(Match)
                .where(Match.hub_id == hub.id, Match.status == "proposed")
            )
            assert made.scalar_one() == 3
            told = await db.execute(
                sa.select(sa.func.count())
                .select_from(OutboxEvent)
                .where(OutboxEvent.hub_id == hub.id, OutboxEvent.type == "match.proposed")
            )
            assert told.scalar_one() == 3
    history = await client.get(
        f"/api/v1/matches/{report['created'][0]}/history", headers=coord.headers
    )
    assert [h["action"] for h in history.json()["items"]] == ["proposed"]
