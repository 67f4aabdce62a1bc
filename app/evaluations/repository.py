"""Every query on evaluations and testimonials."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core import authz
from app.core.actor import MENTEE, MENTOR, Actor
from app.core.pagination import PageParams, PageResult, SortSpec, paginate
from app.evaluations.models import Evaluation
from app.matches.models import Match
from app.mentees.models import Mentee
from app.mentors.models import Mentor

EVALUATION_SORT = SortSpec(
    columns={"created_at": col(Evaluation.created_at), "updated_at": col(Evaluation.updated_at)},
    default="created_at",
    id_column=col(Evaluation.id),
)
# Oldest first: a queue of testimonials waiting for a coordinator.
PENDING_SORT = SortSpec(
    columns={"updated_at": col(Evaluation.updated_at), "created_at": col(Evaluation.created_at)},
    default="updated_at",
    id_column=col(Evaluation.id),
)
PUBLISHED_SORT = SortSpec(
    columns={"published_at": col(Evaluation.approved_at)},
    default="-published_at",
    id_column=col(Evaluation.id),
)


@dataclass(frozen=True)
class AuthoredEvaluation:
    """An evaluation with its match's end and its author's publishable profile fields."""

    evaluation: Evaluation
    match_closed_at: datetime | None
    match_ends_on: date | None
    locale: str
    first_name: str | None
    role_title: str | None
    organization_name: str | None


def _authored_by(role: str, own: Any) -> sa.ColumnElement[bool]:
    return sa.and_(col(Evaluation.author_role) == role, col(Evaluation.author_profile_id) == own)


_COLUMNS = authz.Columns(hub_id=col(Evaluation.hub_id), own=_authored_by)


# Evaluations the caller may see (app.core.authz): all, own hub, or their own.
EVALUATIONS = authz.Scoped(Evaluation, "evaluation", _COLUMNS)
reach = EVALUATIONS.reach
visible_to = EVALUATIONS.visible_to
get_visible = EVALUATIONS.get_visible


async def get_own(db: AsyncSession, actor: Actor, match_id: uuid.UUID) -> Evaluation | None:
    """The caller's own evaluation of a match, if written."""
    stmt = visible_to(actor).where(
        col(Evaluation.match_id) == match_id, col(Evaluation.author_role) == actor.role
    )
    return (await db.execute(stmt.with_for_update())).scalar_one_or_none()


async def list_for_match(
    db: AsyncSession, actor: Actor, match_id: uuid.UUID, params: PageParams
) -> PageResult[Evaluation]:
    """A match's evaluations within reach."""
    stmt = visible_to(actor).where(col(Evaluation.match_id) == match_id)
    return await paginate(db, stmt, EVALUATION_SORT, params, lambda row: row[0])


def _authored(stmt_filter: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Evaluations joined to their match and to their (not anonymised) author's profile."""
    is_mentee = sa.and_(
        col(Evaluation.author_role) == MENTEE, col(Mentee.id) == col(Evaluation.author_profile_id)
    )
    is_mentor = sa.and_(
        col(Evaluation.author_role) == MENTOR, col(Mentor.id) == col(Evaluation.author_profile_id)
    )
    return (
        sa.select(Evaluation)
        .add_columns(
            col(Evaluation.approved_at).label("published_at"),
            col(Match.closed_at).label("match_closed_at"),
            col(Match.ends_on).label("match_ends_on"),
            sa.func.coalesce(col(Mentee.locale), col(Mentor.locale)).label("author_locale"),
            sa.func.coalesce(col(Mentee.first_name), col(Mentor.first_name)).label(
                "author_first_name"
            ),
            col(Mentee.role_title).label("author_role_title"),
            col(Mentee.organization_name).label("author_organization_name"),
        )
        .join(Match, col(Match.id) == col(Evaluation.match_id))
        .outerjoin(Mentee, is_mentee)
        .outerjoin(Mentor, is_mentor)
        .where(
            stmt_filter,
            sa.or_(col(Mentee.id).is_not(None), col(Mentor.id).is_not(None)),
            # An anonymised person's words and name are never shown again.
            col(Mentee.anonymised_at).is_(None),
            col(Mentor.anonymised_at).is_(None),
        )
    )


def _authored_of(row: Any) -> AuthoredEvaluation:
    return AuthoredEvaluation(
        evaluation=row[0],
        match_closed_at=row.match_closed_at,
        match_ends_on=row.match_ends_on,
        locale=row.author_locale,
        first_name=row.author_first_name,
        role_title=row.author_role_title,
        organization_name=row.author_organization_name,
    )


def _consented() -> sa.ColumnElement[bool]:
    return sa.and_(
        col(Evaluation.testimonial).is_not(None),
        col(Evaluation.publish_consent).is_(True),
    )


async def list_pending(
    db: AsyncSession, actor: Actor, params: PageParams
) -> PageResult[AuthoredEvaluation]:
    """Consented testimonials within reach that no one approved yet."""
    condition = sa.and_(reach(actor), _consented(), col(Evaluation.approved_at).is_(None))
    return await paginate(db, _authored(condition), PENDING_SORT, params, _authored_of)


async def list_published(
    db: AsyncSession, params: PageParams, lang: str | None
) -> PageResult[AuthoredEvaluation]:
    """Consented and approved testimonials of every hub (public), by author language."""
    condition = sa.and_(_consented(), col(Evaluation.approved_at).is_not(None))
    stmt = _authored(condition)
    if lang is not None:
        stmt = stmt.where(sa.func.coalesce(col(Mentee.locale), col(Mentor.locale)) == lang)
    return await paginate(db, stmt, PUBLISHED_SORT, params, _authored_of)


async def authored(db: AsyncSession, evaluation_id: uuid.UUID) -> AuthoredEvaluation | None:
    """One evaluation with its author's fields; None when the author is anonymised."""
    stmt = _authored(col(Evaluation.id) == evaluation_id)
    row = (await db.execute(stmt)).first()
    return _authored_of(row) if row is not None else None


async def of_author(db: AsyncSession, role: str, profile_id: uuid.UUID) -> Sequence[Evaluation]:
    """Every evaluation a mentor or mentee wrote (for their data export)."""
    stmt = (
        sa.select(Evaluation)
        .where(col(Evaluation.author_role) == role, col(Evaluation.author_profile_id) == profile_id)
        .order_by(col(Evaluation.created_at), col(Evaluation.id))
    )
    return (await db.execute(stmt)).scalars().all()


async def erase_texts_of(db: AsyncSession, role: str, profile_id: uuid.UUID) -> None:
    """Erase what a person wrote in their evaluations and withdraw publication (anonymisation)."""
    await db.execute(
        sa.update(Evaluation)
        .where(
            col(Evaluation.author_role) == role,
            col(Evaluation.author_profile_id) == profile_id,
        )
        .values(
            learnings=None,
            testimonial=None,
            publish_consent=False,
            publish_fields=[],
            approved_at=None,
        )
    )
