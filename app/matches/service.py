"""The match lifecycle: proposals under the pairing rules, and the state machine."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import authz, clock, events
from app.core.actor import MENTEE, MENTOR, Actor
from app.core.errors import Forbidden, InvalidTransition, ValidationFailed
from app.core.events import DomainEvent
from app.core.models import touch
from app.core.pagination import PageParams, PageResult
from app.hubs import repository as hubs_repo
from app.matches import repository as repo
from app.matches.errors import PairingRefused
from app.matches.features import mentee_features, mentor_features
from app.matches.health import add_months, health_of
from app.matches.models import (
    ACCEPTED,
    ACTIVE,
    CANCELLED,
    COMPLETED,
    DECLINED,
    ENDED_EARLY,
    PROPOSED,
    Match,
    MatchEvent,
)
from app.matches.rules import refusal
from app.matches.schemas import ActivateBody, MatchCreate
from app.matching import MentorPool, score_one
from app.mentees.models import Mentee
from app.mentors.models import Mentor

# The actions each status allows; anything else is 409 invalid-transition.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "accept": frozenset({PROPOSED}),
    "decline": frozenset({PROPOSED}),
    "cancel": frozenset({PROPOSED, ACCEPTED}),
    "activate": frozenset({ACCEPTED}),
    "complete": frozenset({ACTIVE}),
    "end": frozenset({ACTIVE}),
}
# Where each closing action leaves the mentee.
MENTEE_STATUS_AFTER = {
    DECLINED: "waiting",
    CANCELLED: "waiting",
    ACTIVE: "active",
    COMPLETED: "completed",
    ENDED_EARLY: "waiting",
}


# History action -> the event other domains hear (a side's acceptance is history only,
# until both sides have accepted).
_EVENT_OF_ACTION = {
    "proposed": "match.proposed",
    "accepted_by_mentor": "match.accepted",
    "accepted_by_mentee": "match.accepted",
    "declined": "match.declined",
    "cancelled": "match.cancelled",
    "activated": "match.activated",
    "completed": "match.completed",
    "ended_early": "match.ended",
}


def _side_of(actor: Actor, match: Match) -> str | None:
    if actor.role == MENTOR and actor.profile_id == match.mentor_id:
        return MENTOR
    if actor.role == MENTEE and actor.profile_id == match.mentee_id:
        return MENTEE
    return None


def history_entry(
    match: Match,
    actor: Actor | None,
    action: str,
    from_status: str | None,
    seq: int,
    reason: str | None = None,
) -> MatchEvent:
    """One entry of the match's history."""
    actor_type, actor_id = actor.audit_ref() if actor else ("system", None)
    return MatchEvent(
        match_id=match.id,
        hub_id=match.hub_id,
        seq=seq,
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        from_status=from_status,
        to_status=match.status,
        reason=reason,
    )


async def _tell(db: AsyncSession, match: Match, actor: Actor | None, action: str) -> None:
    """Publish the event other domains hear of this action, if it has one."""
    kind = _EVENT_OF_ACTION.get(action)
    if kind is None or (kind == "match.accepted" and match.status != ACCEPTED):
        return
    await events.publish(db, _event_of(match, actor, kind))


def _event_of(match: Match, actor: Actor | None, kind: str) -> DomainEvent:
    """What other domains (and partners) hear of a match: ids and its status."""
    return DomainEvent(
        type=kind,
        hub_id=match.hub_id,
        subject={"match_id": match.id, "mentor_id": match.mentor_id, "mentee_id": match.mentee_id},
        actor=actor.audit_ref() if actor else ("system", None),
        data={"status": match.status},
    )


async def _record(
    db: AsyncSession,
    match: Match,
    actor: Actor | None,
    action: str,
    from_status: str | None,
    reason: str | None = None,
) -> None:
    seq = await repo.next_event_seq(db, match.id)
    db.add(history_entry(match, actor, action, from_status, seq, reason))
    await _tell(db, match, actor, action)


async def list_matches(
    db: AsyncSession, actor: Actor, params: PageParams, filters: dict[str, Any]
) -> PageResult[Match]:
    """Matches within the caller's reach; `health` is computed, then filtered on."""
    wanted = filters.pop("health", None)
    if wanted is not None:
        candidates = await repo.all_visible(db, actor, filters)
        health = await health_of(db, candidates)
        filters["ids"] = [m.id for m in candidates if health[m.id]["status"] == wanted]
    return await repo.list_visible(db, actor, params, filters)


async def get_history(db: AsyncSession, match: Match) -> list[MatchEvent]:
    """Every action on a match, oldest first."""
    return list(await repo.history(db, match.id))


async def pair_score(
    db: AsyncSession, hub_id: uuid.UUID, mentor: Mentor, mentee: Mentee
) -> tuple[float, dict[str, Any]]:
    """The engine's score and breakdown of one pair, with the hub's weights."""
    hub = await hubs_repo.get(db, hub_id)
    weights = hub.matching_weights if hub and hub.matching_weights else None
    # Scored as if eligible with a free place: the rules were checked by the caller.
    features = replace(mentor_features(mentor, open_matches=0), eligible=True, capacity_left=1)
    pool = MentorPool.build([features])
    ranking = await anyio.to_thread.run_sync(
        lambda: score_one(mentee_features(mentee), pool, weights, limit=1)
    )
    if not ranking.candidates:
        return 0.0, {}
    best = ranking.candidates[0]
    return best.score, dict(best.breakdown)


async def check_pairing(db: AsyncSession, mentor: Mentor, mentee: Mentee) -> str | None:
    """The first pairing rule that refuses this pair, or None (rows locked by the caller)."""
    return refusal(mentor, mentee, await repo.pairing_facts(db, [mentor.id], [mentee.id]))


def _proposed(
    mentor: Mentor,
    mentee: Mentee,
    score: float,
    breakdown: dict[str, Any],
    matching_run_id: uuid.UUID | None,
    now: datetime | None = None,
) -> Match:
    """A new proposed match; the mentee is `matched` from now on."""
    mentee.status = "matched"
    touch(mentee, now)
    return Match(
        hub_id=mentee.hub_id,
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        status=PROPOSED,
        score=score,
        breakdown=breakdown,
        matching_run_id=matching_run_id,
    )


async def propose(
    db: AsyncSession,
    actor: Actor,
    data: MatchCreate,
    *,
    matching_run_id: uuid.UUID | None = None,
    scored: tuple[float, dict[str, Any]] | None = None,
) -> Match:
    """Propose a mentor to a waiting mentee, under every pairing rule, in one transaction."""
    if not authz.can_manage(actor, "match"):
        raise Forbidden()
    # Lock order (mentor, then mentee) is the same everywhere: no deadlock between
    # two proposals, and a mentor's capacity is counted by one request at a time.
    mentor = await repo.lock_mentor(db, data.mentor_id, actor)
    if mentor is None:
        raise ValidationFailed.unreachable(["body", "mentor_id"])
    mentee = await repo.lock_mentee(db, data.mentee_id, actor)
    if mentee is None:
        raise ValidationFailed.unreachable(["body", "mentee_id"])
    if mentor.hub_id != mentee.hub_id:
        raise ValidationFailed.field(
            ["body", "mentor_id"], "The mentor belongs to another hub", "custom"
        )
    refused = await check_pairing(db, mentor, mentee)
    if refused:
        raise PairingRefused.of(refused)
    score, breakdown = scored or await pair_score(db, mentee.hub_id, mentor, mentee)
    match = _proposed(mentor, mentee, score, breakdown, matching_run_id)
    db.add(match)
    await db.flush()
    await _record(db, match, actor, "proposed", None)
    return match


async def propose_many(
    db: AsyncSession,
    actor: Actor,
    proposals: Sequence[tuple[uuid.UUID, uuid.UUID, float, dict[str, Any]]],
    *,
    matching_run_id: uuid.UUID | None = None,
) -> list[Match | str]:
    """Many proposals (mentor, mentee, score, breakdown) in one pass, each under every rule.

    The same outcome as proposing them one after the other, in their order: for each,
    the new match, or the code of the rule that refused it (`not-found` for a profile out
    of reach or of another hub). Every mentor, then every mentee, is locked once in id
    order; the rules read three set-based queries kept current as the batch proceeds; the
    matches and their history are written in bulk, and each proposal's event published.
    """
    if not authz.can_manage(actor, "match"):
        raise Forbidden()
    mentor_ids = [mentor_id for mentor_id, _, _, _ in proposals]
    mentee_ids = [mentee_id for _, mentee_id, _, _ in proposals]
    await repo.lock_pairs(db, mentor_ids, mentee_ids)
    mentors = await repo.mentors_for_pairing(db, actor, mentor_ids)
    mentees = await repo.mentees_for_pairing(db, actor, mentee_ids)
    facts = await repo.pairing_facts(db, mentor_ids, mentee_ids)
    outcomes: list[Match | str] = []
    created: list[Match] = []
    now = clock.now()
    for mentor_id, mentee_id, score, breakdown in proposals:
        mentor, mentee = mentors.get(mentor_id), mentees.get(mentee_id)
        if mentor is None or mentee is None or mentor.hub_id != mentee.hub_id:
            outcomes.append("not-found")
            continue
        rule = refusal(mentor, mentee, facts)
        if rule:
            outcomes.append(rule)
            continue
        match = _proposed(mentor, mentee, score, breakdown, matching_run_id, now)
        facts.record(mentor.id, mentee.id)
        created.append(match)
        outcomes.append(match)
    db.add_all(created)
    await db.flush()
    db.add_all([history_entry(match, actor, "proposed", None, 1) for match in created])
    await events.publish_many(db, [_event_of(match, actor, "match.proposed") for match in created])
    await db.flush()
    return outcomes


def _check_transition(actor: Actor, match: Match, action: str, *, staff_only: bool = True) -> None:
    """The caller may take this action now (the match was locked by the route's dependency)."""
    if staff_only and not authz.can_manage(actor, "match"):
        raise Forbidden()
    if match.status not in ALLOWED_FROM[action]:
        raise InvalidTransition(params={"action": action, "status": match.status})


async def _follow_mentee(db: AsyncSession, match: Match) -> None:
    """The mentee's status follows the match."""
    status = MENTEE_STATUS_AFTER.get(match.status)
    if status is None:
        return
    mentee = await repo.lock_mentee(db, match.mentee_id)
    if mentee is not None and mentee.anonymised_at is None:
        mentee.status = status
        touch(mentee)


def _answering_side(
    actor: Actor, match: Match, side: str | None, *, required: bool = True
) -> str | None:
    """Whose answer this is: a participant's own side, or the side staff name."""
    own = _side_of(actor, match)
    if own is not None:
        if side is not None and side != own:
            raise ValidationFailed.forbidden_field(["body", "side"])
        return own
    if not authz.can_manage(actor, "match"):
        raise Forbidden()
    if side is None and required:
        raise ValidationFailed.field(["body", "side"], "Field required", "missing")
    return side


async def accept(db: AsyncSession, actor: Actor, match: Match, side: str | None) -> Match:
    """A participant accepts for their side; staff record a side's answer."""
    _check_transition(actor, match, "accept", staff_only=False)
    side = _answering_side(actor, match, side)
    now = clock.now()
    already = match.mentor_accepted_at if side == MENTOR else match.mentee_accepted_at
    if already is not None:
        raise InvalidTransition(params={"action": f"accept ({side})", "status": match.status})
    if side == MENTOR:
        match.mentor_accepted_at = now
    else:
        match.mentee_accepted_at = now
    before = match.status
    if match.mentor_accepted_at and match.mentee_accepted_at:
        match.status = ACCEPTED
    touch(match, now)
    await db.flush()
    await _record(db, match, actor, f"accepted_by_{side}", before)
    return match


async def decline(
    db: AsyncSession, actor: Actor, match: Match, reason: str, side: str | None
) -> Match:
    """A participant declines the proposal (staff may name whose answer); the mentee waits."""
    _check_transition(actor, match, "decline", staff_only=False)
    # A decline needs only its reason: staff may also say which side answered.
    _answering_side(actor, match, side, required=False)
    return await _close(db, actor, match, DECLINED, "declined", reason)


async def _close(
    db: AsyncSession, actor: Actor, match: Match, status: str, action: str, reason: str | None
) -> Match:
    before = match.status
    now = clock.now()
    match.status = status
    match.closed_at = now
    if reason is not None:
        match.end_reason = reason
    touch(match, now)
    await _follow_mentee(db, match)
    await db.flush()
    await _record(db, match, actor, action, before, reason)
    return match


async def cancel(db: AsyncSession, actor: Actor, match: Match, reason: str) -> Match:
    """Staff cancel a proposed or accepted match; the mentee waits again."""
    _check_transition(actor, match, "cancel")
    return await _close(db, actor, match, CANCELLED, "cancelled", reason)


async def activate(db: AsyncSession, actor: Actor, match: Match, data: ActivateBody) -> Match:
    """Staff start the year once the agreement is signed (default end: start + 12 months)."""
    _check_transition(actor, match, "activate")
    before = match.status
    now = clock.now()
    match.status = ACTIVE
    match.agreement_signed_on = data.agreement_signed_on
    match.starts_on = data.starts_on
    match.ends_on = data.ends_on or add_months(data.starts_on, 12)
    match.activated_at = now
    touch(match, now)
    await _follow_mentee(db, match)
    await db.flush()
    await _record(db, match, actor, "activated", before)
    return match


async def complete(db: AsyncSession, actor: Actor, match: Match) -> Match:
    """Staff close a year that went to its end."""
    _check_transition(actor, match, "complete")
    return await _close(db, actor, match, COMPLETED, "completed", None)


async def end_early(db: AsyncSession, actor: Actor, match: Match, reason: str) -> Match:
    """Staff end an active match early (reason required); the pair is not proposed again."""
    _check_transition(actor, match, "end")
    return await _close(db, actor, match, ENDED_EARLY, "ended_early", reason)
