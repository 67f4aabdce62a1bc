"""Rules of sessions: who schedules, when a meeting can be held, what stays between the pair."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock, events
from app.core.actor import MENTEE, MENTOR, Actor
from app.core.errors import Conflict, Forbidden, InvalidTransition, Text, ValidationFailed
from app.core.events import DomainEvent
from app.core.http import check_if_match
from app.core.models import touch
from app.core.pagination import PageParams, PageResult
from app.matches import repository as matches_repo
from app.matches.models import ACCEPTED, ACTIVE, Match
from app.sessions import repository as repo
from app.sessions.models import CANCELLED, HELD, NO_SHOW, SCHEDULED, MentoringSession, SessionNote
from app.sessions.schemas import FeedbackBody, HoldBody, SessionCreate, SessionUpdate

OPEN_FOR_SESSIONS = (ACCEPTED, ACTIVE)
SHARED_CONTENT = ("agenda", "summary")


class MatchNotOpen(Conflict):
    """409: sessions are planned for accepted or active matches only."""

    type = "match-not-open"
    title = Text(fr="Jumelage non actif", en="Match not open")
    detail = Text(
        fr="Les rencontres se planifient pour un jumelage accepté ou actif.",
        en="Sessions are scheduled for an accepted or active match.",
    )


class SessionOverlap(Conflict):
    """409: one of the two people already has a session at that time."""

    type = "session-overlap"
    title = Text(fr="Rencontres qui se chevauchent", en="Overlapping sessions")
    detail = Text(
        fr="Une autre rencontre occupe déjà ce créneau pour l'une des deux personnes.",
        en="Another session already takes this time for one of the two people.",
    )


def side_of(actor: Actor, mentor_id: uuid.UUID, mentee_id: uuid.UUID) -> str | None:
    """Which participant the caller is, if any."""
    if actor.kind != "user" or actor.profile_id is None:
        return None
    if actor.role == MENTOR and actor.profile_id == mentor_id:
        return MENTOR
    if actor.role == MENTEE and actor.profile_id == mentee_id:
        return MENTEE
    return None


def present(actor: Actor, session: MentoringSession) -> dict[str, Any]:
    """The session as this caller may see it: content for the pair, schedule for others."""
    data: dict[str, Any] = {
        "id": session.id,
        "match_id": session.match_id,
        "hub_id": session.hub_id,
        "scheduled_at": clock.local(session.scheduled_at),
        "ends_at": clock.local(session.ends_at),
        "duration_minutes": session.duration_minutes,
        "mode": session.mode,
        "status": session.status,
        "version": session.version,
        "created_at": session.created_at,
        "updated_at": session.updated_at,
    }
    if actor.is_api_client:
        return data
    side = side_of(actor, session.mentor_id, session.mentee_id)
    data["location"] = session.location
    data["cancel_reason"] = session.cancel_reason
    data["held_at"] = session.held_at
    if side is not None:
        data["agenda"] = session.agenda
        data["summary"] = session.summary
    # The mentee's rating goes to the program, not to the mentor.
    if (side == MENTEE or (side is None and actor.is_staff)) and session.feedback_rating:
        data["feedback"] = {
            "rating": session.feedback_rating,
            "comment": session.feedback_comment,
            "given_at": session.feedback_at,
        }
    return data


async def list_sessions(
    db: AsyncSession, actor: Actor, params: PageParams, filters: dict[str, Any]
) -> PageResult[MentoringSession]:
    """Sessions within reach."""
    return await repo.list_visible(db, actor, params, filters)


async def _lock_pair(db: AsyncSession, match: Match) -> None:
    # Same lock order as proposals (mentor, then mentee): the overlap check and the
    # insert happen while no other request can book either person.
    await matches_repo.lock_mentor(db, match.mentor_id)
    await matches_repo.lock_mentee(db, match.mentee_id)


async def _check_free(db: AsyncSession, session: MentoringSession) -> None:
    if await repo.overlapping(
        db,
        mentor_id=session.mentor_id,
        mentee_id=session.mentee_id,
        starts=session.scheduled_at,
        ends=session.ends_at,
        except_id=session.id,
    ):
        raise SessionOverlap()


async def schedule(db: AsyncSession, actor: Actor, data: SessionCreate) -> MentoringSession:
    """Either participant or the coordinator plans a meeting of an accepted or active match."""
    match = await matches_repo.get_visible(db, actor, data.match_id)
    if match is None:
        raise ValidationFailed.unreachable(["body", "match_id"])
    side = side_of(actor, match.mentor_id, match.mentee_id)
    if side is None and not actor.is_staff:
        raise Forbidden()
    if side is None and data.agenda is not None:
        raise ValidationFailed.forbidden_field(["body", "agenda"])
    if match.status not in OPEN_FOR_SESSIONS:
        raise MatchNotOpen()
    await _lock_pair(db, match)
    session = MentoringSession(
        match_id=match.id,
        hub_id=match.hub_id,
        mentor_id=match.mentor_id,
        mentee_id=match.mentee_id,
        scheduled_at=data.scheduled_at,
        ends_at=data.scheduled_at + timedelta(minutes=data.duration_minutes),
        duration_minutes=data.duration_minutes,
        mode=data.mode,
        location=data.location,
        agenda=data.agenda,
    )
    await _check_free(db, session)
    db.add(session)
    await db.flush()
    await _publish(db, actor, session, "session.scheduled")
    return session


async def _publish(db: AsyncSession, actor: Actor, session: MentoringSession, kind: str) -> None:
    """Tell other domains (and partners) what happened to a meeting: ids and status only."""
    await events.publish(
        db,
        DomainEvent(
            type=kind,
            hub_id=session.hub_id,
            subject={
                "session_id": session.id,
                "match_id": session.match_id,
                "mentor_id": session.mentor_id,
                "mentee_id": session.mentee_id,
            },
            actor=actor.audit_ref(),
            data={"status": session.status},
        ),
    )


def _changing_side(actor: Actor, session: MentoringSession) -> str | None:
    """Who changes the session: a participant's side, None for staff; anyone else is 403."""
    side = side_of(actor, session.mentor_id, session.mentee_id)
    if side is None and not actor.is_staff:
        raise Forbidden()
    return side


async def update(
    db: AsyncSession,
    actor: Actor,
    session: MentoringSession,
    data: SessionUpdate,
    if_match: str | None,
) -> MentoringSession:
    """Reschedule a planned meeting; the pair also edit their shared agenda and summary."""
    side = _changing_side(actor, session)
    check_if_match(if_match, session.version)
    changes = data.model_dump(exclude_unset=True)
    for field in SHARED_CONTENT:
        if field in changes and side is None:
            raise ValidationFailed.forbidden_field(["body", field])
    for field in ("scheduled_at", "duration_minutes", "mode"):
        if field in changes and changes[field] is None:
            raise ValidationFailed.field(["body", field], "May not be null", "custom")
    timing = {"scheduled_at", "duration_minutes", "mode", "location"} & set(changes)
    if timing and session.status != SCHEDULED:
        raise InvalidTransition(params={"action": "reschedule", "status": session.status})
    for field, value in changes.items():
        setattr(session, field, value)
    if {"scheduled_at", "duration_minutes"} & set(changes):
        session.ends_at = session.scheduled_at + timedelta(minutes=session.duration_minutes)
        match = await matches_repo.get_visible(db, actor, session.match_id)
        if match is not None:
            await _lock_pair(db, match)
        await _check_free(db, session)
    touch(session)
    await db.flush()
    if timing:
        await _publish(db, actor, session, "session.rescheduled")
    return session


def _transition(actor: Actor, session: MentoringSession, action: str) -> str | None:
    side = _changing_side(actor, session)
    if session.status != SCHEDULED:
        raise InvalidTransition(params={"action": action, "status": session.status})
    if action in ("hold", "no-show") and session.scheduled_at > clock.now():
        # A meeting is held (or missed) only once its time has come.
        raise InvalidTransition(params={"action": action, "status": session.status})
    return side


async def hold(
    db: AsyncSession, actor: Actor, session: MentoringSession, data: HoldBody
) -> MentoringSession:
    """Record that the meeting took place, with its real duration and a shared summary."""
    side = _transition(actor, session, "hold")
    if data.summary is not None and side is None:
        raise ValidationFailed.forbidden_field(["body", "summary"])
    session.status = HELD
    session.duration_minutes = data.duration_minutes
    session.ends_at = session.scheduled_at + timedelta(minutes=data.duration_minutes)
    if data.summary is not None:
        session.summary = data.summary
    session.held_at = clock.now()
    touch(session)
    await db.flush()
    await _publish(db, actor, session, "session.held")
    return session


async def cancel(
    db: AsyncSession, actor: Actor, session: MentoringSession, reason: str
) -> MentoringSession:
    """Cancel a planned meeting (reason required)."""
    _changing_side(actor, session)
    if session.status != SCHEDULED:
        raise InvalidTransition(params={"action": "cancel", "status": session.status})
    session.status = CANCELLED
    session.cancel_reason = reason
    touch(session)
    await db.flush()
    await _publish(db, actor, session, "session.cancelled")
    return session


async def no_show(db: AsyncSession, actor: Actor, session: MentoringSession) -> MentoringSession:
    """Record that the meeting did not take place (once its time has come)."""
    _transition(actor, session, "no-show")
    session.status = NO_SHOW
    touch(session)
    await db.flush()
    return session


def _require_participant(actor: Actor, session: MentoringSession) -> None:
    if side_of(actor, session.mentor_id, session.mentee_id) is None:
        # Notes belong to the two participants; staff and partners never read them.
        raise Forbidden()


async def get_note(db: AsyncSession, actor: Actor, session: MentoringSession) -> SessionNote | None:
    """The caller's own private note (None when they wrote none)."""
    _require_participant(actor, session)
    return await repo.get_note(db, session.id, actor.id)


async def put_note(
    db: AsyncSession, actor: Actor, session: MentoringSession, text: str
) -> SessionNote:
    """Write or replace the caller's private note; nobody else can read it."""
    _require_participant(actor, session)
    note = await repo.get_note(db, session.id, actor.id)
    if note is None:
        note = SessionNote(session_id=session.id, author_id=actor.id, text=text)
        db.add(note)
    else:
        note.text = text
        note.updated_at = clock.now()
    await db.flush()
    return note


async def put_feedback(
    db: AsyncSession,
    actor: Actor,
    session: MentoringSession,
    data: FeedbackBody,
    if_match: str | None = None,
) -> MentoringSession:
    """The mentee rates a held session; the rating goes to the program, not the mentor."""
    _require_participant(actor, session)
    check_if_match(if_match, session.version)
    if side_of(actor, session.mentor_id, session.mentee_id) != MENTEE:
        raise Forbidden()
    if session.status != HELD:
        raise InvalidTransition(params={"action": "feedback", "status": session.status})
    session.feedback_rating = data.rating
    session.feedback_comment = data.comment
    session.feedback_at = clock.now()
    touch(session)
    await db.flush()
    return session
