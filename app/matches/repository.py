"""Every query on matches, their history and the features the matching engine reads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core import authz
from app.core.actor import MENTEE, MENTOR, Actor
from app.core.pagination import PageParams, PageResult, SortSpec, paginate
from app.matches.features import MENTOR_ACTIVE
from app.matches.models import BLOCKING_STATUSES, OPEN_STATUSES, Match, MatchEvent, MatchingRun
from app.matches.rules import PairingFacts
from app.mentees.models import Mentee
from app.mentors.models import Mentor

MATCH_SORT = SortSpec(
    columns={
        "created_at": col(Match.created_at),
        "updated_at": col(Match.updated_at),
        "score": col(Match.score),
    },
    default="created_at",
    id_column=col(Match.id),
)


_COLUMNS = authz.Columns(
    hub_id=col(Match.hub_id),
    own=authz.own_by({MENTOR: col(Match.mentor_id), MENTEE: col(Match.mentee_id)}),
)


# Matches the caller may see (app.core.authz): every query below starts from these.
MATCHES = authz.Scoped(Match, "match", _COLUMNS)
reach = MATCHES.reach
visible_to = MATCHES.visible_to
get_visible = MATCHES.get_visible


async def list_visible(
    db: AsyncSession, actor: Actor, params: PageParams, filters: dict[str, Any]
) -> PageResult[Match]:
    """A page of matches within reach, filtered."""
    stmt = visible_to(actor)
    for name in ("status", "mentor_id", "mentee_id", "hub_id"):
        value = filters.get(name)
        if value is not None:
            stmt = stmt.where(getattr(Match, name) == value)
    ids = filters.get("ids")
    if ids is not None:
        stmt = stmt.where(col(Match.id).in_(ids))
    return await paginate(db, stmt, MATCH_SORT, params, lambda row: row[0])


async def all_visible(db: AsyncSession, actor: Actor, filters: dict[str, Any]) -> Sequence[Match]:
    """Every match within reach that passes the column filters (for computed filters)."""
    stmt = visible_to(actor)
    for name in ("status", "mentor_id", "mentee_id", "hub_id"):
        value = filters.get(name)
        if value is not None:
            stmt = stmt.where(getattr(Match, name) == value)
    return (await db.execute(stmt)).scalars().all()


def _pairing_reach(actor: Actor | None, hub_id: Any) -> sa.ColumnElement[bool]:
    # A profile may be paired by whoever runs the matches of its hub (app.core.authz);
    # the system (no actor) follows a match it already holds.
    if actor is None:
        return sa.true()
    return authz.where(actor, "match", authz.Columns(hub_id=hub_id))


async def lock_mentor(
    db: AsyncSession, mentor_id: uuid.UUID, actor: Actor | None = None
) -> Mentor | None:
    """The mentor row within the caller's matching reach, locked: one proposal at a time."""
    stmt = sa.select(Mentor).where(
        col(Mentor.id) == mentor_id, _pairing_reach(actor, col(Mentor.hub_id))
    )
    return (await db.execute(stmt.with_for_update())).scalar_one_or_none()


async def lock_mentee(
    db: AsyncSession, mentee_id: uuid.UUID, actor: Actor | None = None
) -> Mentee | None:
    """The mentee row within the caller's matching reach, locked: one change at a time."""
    stmt = sa.select(Mentee).where(
        col(Mentee.id) == mentee_id, _pairing_reach(actor, col(Mentee.hub_id))
    )
    return (await db.execute(stmt.with_for_update())).scalar_one_or_none()


async def lock_pairs(
    db: AsyncSession, mentor_ids: Sequence[uuid.UUID], mentee_ids: Sequence[uuid.UUID]
) -> None:
    """Lock many mentors, then many mentees, each in id order (a batch of proposals).

    One proposal locks its mentor then its mentee; a batch taking them pair by pair could
    hold a mentee another request's mentor waits on, and deadlock. Every mentor first, in
    a fixed order, then every mentee, cannot form a cycle with single proposals or batches.
    """
    for model, ids in ((Mentor, mentor_ids), (Mentee, mentee_ids)):
        if not ids:
            continue
        stmt = (
            sa.select(col(model.id))
            .where(col(model.id).in_(sorted(set(ids))))
            .order_by(col(model.id))
            .with_for_update()
        )
        await db.execute(stmt)


async def _for_pairing(
    db: AsyncSession, actor: Actor, model: Any, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    if not ids:
        return {}
    stmt = sa.select(model).where(
        col(model.id).in_(sorted(set(ids))), _pairing_reach(actor, col(model.hub_id))
    )
    return {row.id: row for row in (await db.execute(stmt)).scalars().all()}


async def mentors_for_pairing(
    db: AsyncSession, actor: Actor, mentor_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Mentor]:
    """The mentors among these ids within the caller's matching reach (locked by the caller)."""
    return await _for_pairing(db, actor, Mentor, mentor_ids)


async def mentees_for_pairing(
    db: AsyncSession, actor: Actor, mentee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Mentee]:
    """The mentees among these ids within the caller's matching reach (locked by the caller)."""
    return await _for_pairing(db, actor, Mentee, mentee_ids)


async def pairing_facts(
    db: AsyncSession, mentor_ids: Sequence[uuid.UUID], mentee_ids: Sequence[uuid.UUID]
) -> PairingFacts:
    """What the pairing rules read about these mentors and mentees, in three queries."""
    mentors, mentees = sorted(set(mentor_ids)), sorted(set(mentee_ids))
    open_counts = (
        sa.select(col(Match.mentor_id), sa.func.count())
        .where(col(Match.mentor_id).in_(mentors), col(Match.status).in_(OPEN_STATUSES))
        .group_by(col(Match.mentor_id))
    )
    with_open = (
        sa.select(col(Match.mentee_id))
        .where(col(Match.mentee_id).in_(mentees), col(Match.status).in_(OPEN_STATUSES))
        .distinct()
    )
    blocked = sa.select(col(Match.mentor_id), col(Match.mentee_id)).where(
        col(Match.mentee_id).in_(mentees),
        col(Match.mentor_id).in_(mentors),
        col(Match.status).in_(BLOCKING_STATUSES),
    )
    return PairingFacts(
        open_by_mentor={row[0]: int(row[1]) for row in (await db.execute(open_counts)).all()},
        mentees_with_open=set((await db.execute(with_open)).scalars().all()),
        blocked={(row[0], row[1]) for row in (await db.execute(blocked)).all()},
    )


async def count_open_for_mentor(db: AsyncSession, mentor_id: uuid.UUID) -> int:
    """How many proposed, accepted or active matches a mentor has."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(Match)
        .where(col(Match.mentor_id) == mentor_id, col(Match.status).in_(OPEN_STATUSES))
    )
    return int((await db.execute(stmt)).scalar_one())


async def mentee_has_open_match(db: AsyncSession, mentee_id: uuid.UUID) -> bool:
    """Whether a mentee has a proposed, accepted or active match."""
    stmt = sa.select(col(Match.id)).where(
        col(Match.mentee_id) == mentee_id, col(Match.status).in_(OPEN_STATUSES)
    )
    return (await db.execute(stmt.limit(1))).first() is not None


async def pair_blocked(db: AsyncSession, mentor_id: uuid.UUID, mentee_id: uuid.UUID) -> bool:
    """Whether this pair was declined or ended early before."""
    stmt = sa.select(col(Match.id)).where(
        col(Match.mentor_id) == mentor_id,
        col(Match.mentee_id) == mentee_id,
        col(Match.status).in_(BLOCKING_STATUSES),
    )
    return (await db.execute(stmt.limit(1))).first() is not None


async def next_event_seq(db: AsyncSession, match_id: uuid.UUID) -> int:
    """The position of the next history entry (the match row is locked by the caller)."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(MatchEvent)
        .where(col(MatchEvent.match_id) == match_id)
    )
    return int((await db.execute(stmt)).scalar_one()) + 1


async def history(db: AsyncSession, match_id: uuid.UUID) -> Sequence[MatchEvent]:
    """A match's history in chronological order."""
    stmt = (
        sa.select(MatchEvent)
        .where(col(MatchEvent.match_id) == match_id)
        .order_by(col(MatchEvent.seq))
    )
    return (await db.execute(stmt)).scalars().all()


async def matches_of_profile(db: AsyncSession, role: str, profile_id: uuid.UUID) -> Sequence[Match]:
    """Every match of a mentor or mentee (for their data export)."""
    column = col(Match.mentor_id) if role == MENTOR else col(Match.mentee_id)
    stmt = sa.select(Match).where(column == profile_id).order_by(col(Match.created_at))
    return (await db.execute(stmt)).scalars().all()


# --- matching-engine features ---------------------------------------------------------------


def _open_counts(hub_id: uuid.UUID) -> sa.Subquery:
    """Open matches per mentor of a hub, as a subquery (mentor_id, open_matches)."""
    return (
        sa.select(col(Match.mentor_id), sa.func.count().label("open_matches"))
        .where(col(Match.hub_id) == hub_id, col(Match.status).in_(OPEN_STATUSES))
        .group_by(col(Match.mentor_id))
        .subquery()
    )


async def open_counts_by_mentor(db: AsyncSession, hub_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Open matches per mentor of a hub."""
    counts = _open_counts(hub_id)
    stmt = sa.select(counts.c.mentor_id, counts.c.open_matches)
    return {row[0]: int(row[1]) for row in (await db.execute(stmt)).all()}


async def blocked_pairs(
    db: AsyncSession, hub_id: uuid.UUID, *, mentee_id: uuid.UUID | None = None
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(mentor, mentee) pairs of a hub that were declined or ended early (of one mentee)."""
    stmt = sa.select(col(Match.mentor_id), col(Match.mentee_id)).where(
        col(Match.hub_id) == hub_id, col(Match.status).in_(BLOCKING_STATUSES)
    )
    if mentee_id is not None:
        stmt = stmt.where(col(Match.mentee_id) == mentee_id)
    return [(row[0], row[1]) for row in (await db.execute(stmt)).all()]


MENTOR_FEATURE_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "status",
    "expertise",
    "sectors",
    "legal_forms_known",
    "regions_served",
    "languages",
    "meeting_modes",
    "availability",
    "years_experience",
    "capacity",
    "excluded_organizations",
    "trained_on",
    "ethics_signed_on",
    "anonymised_at",
)
# The code lists the engine encodes, in MentorColumns order.
MENTOR_CODE_LISTS = (
    "expertise",
    "sectors",
    "legal_forms_known",
    "regions_served",
    "languages",
    "meeting_modes",
    "availability",
    "excluded_organizations",
)
MENTEE_FEATURE_COLUMNS = (
    "id",
    "status",
    "needs",
    "sector",
    "legal_form",
    "region",
    "organization_name",
    "languages",
    "meeting_modes",
    "availability",
)


def mentor_eligible(table: sa.Table) -> sa.ColumnElement[bool]:
    """SQL twin of features.mentor_is_eligible: active, trained, ethics signed, not erased."""
    return sa.and_(
        table.c.status == MENTOR_ACTIVE,
        table.c.trained_on.is_not(None),
        table.c.ethics_signed_on.is_not(None),
        table.c.anonymised_at.is_(None),
    )


async def mentor_feature_rows(
    db: AsyncSession, hub_id: uuid.UUID, *, ids: Sequence[uuid.UUID] | None = None
) -> Sequence[Any]:
    """The columns the engine reads and `open_matches`, for mentors of a hub (no ORM objects)."""
    table = Mentor.__table__  # type: ignore[attr-defined]
    counts = _open_counts(hub_id)
    stmt = (
        sa.select(
            *(table.c[name] for name in MENTOR_FEATURE_COLUMNS),
            sa.func.coalesce(counts.c.open_matches, 0).label("open_matches"),
        )
        .select_from(table.outerjoin(counts, counts.c.mentor_id == table.c.id))
        .where(table.c.hub_id == hub_id)
    )
    if ids is not None:
        stmt = stmt.where(table.c.id.in_(list(ids)))
    return (await db.execute(stmt.order_by(table.c.created_at, table.c.id))).all()


async def mentor_feature_columns(
    db: AsyncSession, hub_id: uuid.UUID, *, live_capacity: bool = True
) -> sa.RowMapping:
    """Every mentor of a hub the engine can propose, as one row of comma-joined columns.

    One aggregate row instead of a row per mentor: the per-row decoding (JSON, UUIDs) is
    what made thousands of mentors slow. Mentors that are not eligible, or have no
    capacity left, are only counted (`not_eligible`, `at_capacity`: the engine's first two
    exclusion reasons, in its order). The joined columns follow (created_at, id) order:
    `ids`, `capacity_left`, `years` and each code list as JSON arrays (MENTOR_CODE_LISTS).

    Without `live_capacity`, the profiles alone: every eligible mentor, `capacity_left` being
    the whole capacity (what a cache may keep; open matches are counted per request).
    """
    table = Mentor.__table__  # type: ignore[attr-defined]
    counts = _open_counts(hub_id)
    taken = sa.func.coalesce(counts.c.open_matches, 0) if live_capacity else sa.literal(0)
    left = table.c.capacity - taken
    source = table.outerjoin(counts, counts.c.mentor_id == table.c.id) if live_capacity else table
    mentors = (
        sa.select(
            table.c.id,
            sa.func.coalesce(table.c.years_experience, 0).label("years"),
            *(table.c[name] for name in MENTOR_CODE_LISTS),
            mentor_eligible(table).label("eligible"),
            left.label("capacity_left"),
        )
        .select_from(source)
        .where(table.c.hub_id == hub_id)
        .order_by(table.c.created_at, table.c.id)
        .subquery()
    )
    eligible = mentors.c.eligible.is_(True)
    usable = sa.and_(eligible, mentors.c.capacity_left > 0)

    def joined(column: sa.ColumnElement[Any], label: str) -> sa.Label[Any]:
        text = sa.func.coalesce(sa.cast(column, sa.Text), "[]")
        return sa.func.aggregate_strings(text, ",").filter(usable).label(label)

    stmt = sa.select(
        sa.func.count().filter(sa.not_(eligible)).label("not_eligible"),
        sa.func.count().filter(eligible, mentors.c.capacity_left <= 0).label("at_capacity"),
        joined(mentors.c.id, "ids"),
        joined(mentors.c.capacity_left, "capacity_left"),
        joined(mentors.c.years, "years"),
        *(joined(mentors.c[name], name) for name in MENTOR_CODE_LISTS),
    )
    return (await db.execute(stmt)).mappings().one()


async def mentee_feature_rows(
    db: AsyncSession,
    hub_id: uuid.UUID,
    *,
    ids: Sequence[uuid.UUID] | None = None,
    status: str | None = None,
) -> Sequence[Any]:
    """The columns the engine reads, for mentees of a hub (by id, or by status)."""
    table = Mentee.__table__  # type: ignore[attr-defined]
    stmt = sa.select(*(table.c[name] for name in MENTEE_FEATURE_COLUMNS)).where(
        table.c.hub_id == hub_id
    )
    if ids is not None:
        stmt = stmt.where(table.c.id.in_(list(ids)))
    if status is not None:
        stmt = stmt.where(table.c.status == status)
    return (await db.execute(stmt.order_by(table.c.created_at, table.c.id))).all()


# --- matching runs ---------------------------------------------------------------------------


def run_reach(actor: Actor) -> sa.ColumnElement[bool]:
    """Matching runs the caller may see (app.core.authz): the hub's staff and partners."""
    return authz.where(actor, "matching_run", authz.Columns(hub_id=col(MatchingRun.hub_id)))


async def get_run(
    db: AsyncSession, actor: Actor, run_id: uuid.UUID, *, for_update: bool = False
) -> MatchingRun | None:
    """One matching run within reach."""
    stmt = sa.select(MatchingRun).where(run_reach(actor), col(MatchingRun.id) == run_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await db.execute(stmt)).scalar_one_or_none()
