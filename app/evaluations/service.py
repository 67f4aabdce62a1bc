"""Evaluation rules: who writes and reads them, and how a testimonial gets published."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core import events
from app.core.actor import MENTEE, MENTOR, Actor
from app.core.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    PreconditionFailed,
    ProfileAnonymised,
    Text,
)
from app.core.events import DomainEvent
from app.core.http import check_if_match
from app.core.models import touch
from app.core.pagination import PageParams, PageResult
from app.core.types import utcnow
from app.evaluations import repository as repo
from app.evaluations.models import Evaluation
from app.evaluations.repository import AuthoredEvaluation
from app.evaluations.schemas import EvaluationPut, TestimonialRead, ended_on
from app.matches import repository as matches_repo
from app.matches.models import COMPLETED, ENDED_EARLY, Match

# A match is evaluated once its year is over, whichever way it ended.
EVALUABLE_STATUSES = (COMPLETED, ENDED_EARLY)


class TestimonialNotConsented(Conflict):
    """409: there is no testimonial, or its author did not consent to publish it."""

    type = "testimonial-not-consented"
    title = Text(fr="Témoignage non publiable", en="Testimonial not publishable")
    detail = Text(
        fr="Seul un témoignage dont la personne a consenti à la publication peut être approuvé.",
        en="Only a testimonial whose author consented to its publication can be approved.",
    )


class AuthorAnonymised(ProfileAnonymised):
    """409: the author was anonymised; their words are never published."""


def _require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise Forbidden()


async def evaluated_match(db: AsyncSession, actor: Actor, match_id: uuid.UUID) -> Match | None:
    """The match whose evaluations are read, within reach; partners read none (403 first)."""
    if actor.is_api_client:
        raise Forbidden()
    return await matches_repo.get_visible(db, actor, match_id)


async def list_for_match(
    db: AsyncSession, actor: Actor, match: Match, params: PageParams
) -> PageResult[Evaluation]:
    """A match's evaluations: participants their own, staff their hub's; partners none."""
    return await repo.list_for_match(db, actor, match.id, params)


def approval_survives(before: Evaluation, data: EvaluationPut) -> bool:
    """An approval holds only for the text and the fields staff saw, and while consent lasts.

    Withdrawn consent unpublishes at once; changed text goes back to pending; showing a
    field the person had not chosen before needs a new approval, showing fewer does not.
    """
    if not data.publish_consent or data.testimonial is None:
        return False
    if data.testimonial != before.testimonial:
        return False
    return set(data.publish_fields) <= set(before.publish_fields)


async def match_to_evaluate(db: AsyncSession, actor: Actor, match_id: uuid.UUID) -> Match | None:
    """The caller's own match, locked: the two sides' first writes never race on the unique key.

    Only a mentor or mentee writes an evaluation (403 first); an account without a profile
    has no match of its own.
    """
    if actor.kind != "user" or actor.role not in (MENTOR, MENTEE):
        raise Forbidden()
    if actor.profile_id is None:
        return None
    return await matches_repo.get_visible(db, actor, match_id, for_update=True)


async def put_mine(
    db: AsyncSession,
    actor: Actor,
    match: Match,
    data: EvaluationPut,
    if_match: str | None,
) -> tuple[Evaluation, bool]:
    """The mentor or mentee writes or replaces their evaluation of a closed match.

    Answers the evaluation and whether it was created.
    """
    # The caller's own side: the match was found within their own reach (match_to_evaluate).
    author_profile_id = match.mentor_id if actor.role == MENTOR else match.mentee_id
    if match.status not in EVALUABLE_STATUSES:
        raise InvalidTransition(params={"action": "evaluate", "status": match.status})
    evaluation = await repo.get_own(db, actor, match.id)
    values = data.model_dump()
    if evaluation is None:
        # If-Match names a version; there is none yet (RFC 9110: the condition is false).
        if if_match is not None:
            raise PreconditionFailed(params={"version": 0})
        evaluation = Evaluation(
            match_id=match.id,
            hub_id=match.hub_id,
            author_role=actor.role,
            author_profile_id=author_profile_id,
            **values,
        )
        db.add(evaluation)
        await db.flush()
        await _submitted(db, actor, evaluation)
        return evaluation, True
    check_if_match(if_match, evaluation.version)
    if not approval_survives(evaluation, data):
        evaluation.approved_at = None
        evaluation.approved_by_id = None
    for name, value in values.items():
        setattr(evaluation, name, value)
    touch(evaluation)
    await db.flush()
    await _submitted(db, actor, evaluation)
    return evaluation, False


async def _submitted(db: AsyncSession, actor: Actor, evaluation: Evaluation) -> None:
    """Tell other domains (and partners) an evaluation was written: ids only, never its words."""
    await events.publish(
        db,
        DomainEvent(
            type="evaluation.submitted",
            hub_id=evaluation.hub_id,
            subject={
                "evaluation_id": evaluation.id,
                "match_id": evaluation.match_id,
                f"{evaluation.author_role}_id": evaluation.author_profile_id,
            },
            actor=actor.audit_ref(),
            data={"author_role": evaluation.author_role},
        ),
    )


def present_testimonial(row: AuthoredEvaluation) -> TestimonialRead:
    """A testimonial as the public sees it: only the fields its author chose to show."""
    evaluation = row.evaluation
    shown = {
        "first_name": row.first_name,
        "role_title": row.role_title,
        "organization_name": row.organization_name,
    }
    chosen = {name: shown[name] for name in evaluation.publish_fields if name in shown}
    return TestimonialRead(
        id=evaluation.id,
        testimonial=evaluation.testimonial or "",
        author_role=MENTOR if evaluation.author_role == MENTOR else MENTEE,
        lang="en" if row.locale == "en" else "fr",
        match_ended_on=ended_on(row.match_closed_at, row.match_ends_on),
        published_at=evaluation.approved_at,
        **chosen,
    )


async def list_published(
    db: AsyncSession, params: PageParams, lang: str | None
) -> PageResult[AuthoredEvaluation]:
    """Approved testimonials whose authors still consent (no login needed)."""
    return await repo.list_published(db, params, lang)


async def list_pending(
    db: AsyncSession, actor: Actor, params: PageParams
) -> PageResult[AuthoredEvaluation]:
    """Consented testimonials of the caller's hub that await approval (staff)."""
    _require_staff(actor)
    return await repo.list_pending(db, actor, params)


async def evaluation_for_staff(
    db: AsyncSession, actor: Actor, evaluation_id: uuid.UUID
) -> Evaluation | None:
    """An evaluation of the staff's hub, locked for its publication's change (403 first)."""
    _require_staff(actor)
    return await repo.get_visible(db, actor, evaluation_id, for_update=True)


async def approve(
    db: AsyncSession, actor: Actor, evaluation: Evaluation, if_match: str | None
) -> Evaluation:
    """Staff of the hub publish a consented testimonial (If-Match: the version they read)."""
    check_if_match(if_match, evaluation.version)
    # An anonymised author first: their texts are erased, and that is the reason to give.
    if await repo.authored(db, evaluation.id) is None:
        raise AuthorAnonymised()
    if not evaluation.testimonial or not evaluation.publish_consent:
        raise TestimonialNotConsented()
    if evaluation.approved_at is not None:
        return evaluation
    now = utcnow()
    evaluation.approved_at = now
    evaluation.approved_by_id = actor.id
    touch(evaluation, now)
    record(db, actor, "approve_testimonial", "evaluation", evaluation.id, evaluation.hub_id)
    await db.flush()
    return evaluation


async def unpublish(db: AsyncSession, actor: Actor, evaluation: Evaluation) -> None:
    """Staff take a testimonial off the public list; it waits for approval again."""
    was_published = evaluation.approved_at is not None
    if was_published:
        evaluation.approved_at = None
        evaluation.approved_by_id = None
        touch(evaluation)
    record(
        db,
        actor,
        "unpublish_testimonial",
        "evaluation",
        evaluation.id,
        evaluation.hub_id,
        {"was_published": was_published},
    )
    await db.flush()
