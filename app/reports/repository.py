"""Every query of the reports: aggregates grouped by hub, computed by the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.actor import Actor
from app.core.clock import PROGRAM_TZ
from app.core.types import UTCDateTime
from app.evaluations.models import Evaluation
from app.hubs import repository as hubs_repo
from app.hubs.models import Hub
from app.matches.models import ACTIVE, COMPLETED, ENDED_EARLY, OPEN_STATUSES, Match
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from app.reports.models import MatchSessionStats, MenteeMilestone
from app.reports.sql import bucket_of, days_between, in_period
from app.reports.suppression import MIN_PEOPLE
from app.sessions.models import CANCELLED, HELD, NO_SHOW, MentoringSession


@dataclass(frozen=True)
class Cell:
    """A raw figure and how many distinct people it is computed over.

    `people` is exact below suppression.MIN_PEOPLE; at or above it, it may be a lower bound
    (itself at least MIN_PEOPLE): all suppression asks is whether there are fewer than five.
    """

    value: float | None
    people: int


Raw = dict[uuid.UUID, dict[str, Cell]]


@dataclass(frozen=True)
class HealthRule:
    """A hub's health thresholds turned into bounds for one day (see app/matches/health.py)."""

    at_risk_days: int
    stalled_days: int


async def room_to_aggregate(db: AsyncSession) -> None:
    """Let this transaction's sorts and hashes stay in memory (PostgreSQL; the report's only).

    The report groups every session and match of the period: with the default 4 MB of
    `work_mem` they spill to disk. `SET LOCAL` ends with the transaction.
    """
    if db.get_bind().dialect.name == "postgresql":
        await db.execute(sa.text("SET LOCAL work_mem = '64MB'"))


async def hubs(db: AsyncSession, actor: Actor, hub_id: uuid.UUID | None) -> list[Hub]:
    """The hubs a report covers, by slug: those within the caller's reach (app.core.authz:
    every hub for admins, their own for others), or only the one named."""
    stmt = hubs_repo.visible_to(actor).order_by(col(Hub.slug))
    if hub_id is not None:
        stmt = stmt.where(col(Hub.id) == hub_id)
    return list((await db.execute(stmt)).scalars().all())


def _put(raw: Raw, hub_id: uuid.UUID, name: str, value: Any, people: Any) -> None:
    raw.setdefault(hub_id, {})[name] = Cell(
        None if value is None else float(value), int(people or 0)
    )


async def mentees_by_status(
    db: AsyncSession, hub_ids: list[uuid.UUID], start: datetime | None, end: datetime | None
) -> Raw:
    """Applications received in the period, by the applicant's current status."""
    stmt = (
        sa.select(col(Mentee.hub_id), col(Mentee.status), sa.func.count())
        .where(col(Mentee.hub_id).in_(hub_ids), in_period(col(Mentee.created_at), start, end))
        .group_by(col(Mentee.hub_id), col(Mentee.status))
    )
    raw: Raw = {}
    for hub_id, status, count in (await db.execute(stmt)).all():
        _put(raw, hub_id, status, count, count)
    return raw


def _median_sqlite(sample: Any) -> sa.Select[Any]:
    """Per hub, the median of `sample.c.days` (and how many values it is the median of).

    SQLite has no `percentile_cont(0.5)` (PostgreSQL's mean of the two middle values of an
    even count): the same figure from window functions.
    """
    ranked = sa.select(
        sample.c.hub_id,
        sample.c.days,
        sa.func.row_number().over(partition_by=sample.c.hub_id, order_by=sample.c.days).label("rn"),
        sa.func.count().over(partition_by=sample.c.hub_id).label("n"),
    ).subquery()
    middle = sa.or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    return (
        sa.select(ranked.c.hub_id, sa.func.avg(ranked.c.days), sa.func.max(ranked.c.n))
        .where(middle)
        .group_by(ranked.c.hub_id)
    )


async def median_delays(
    db: AsyncSession, hub_ids: list[uuid.UUID], start: datetime | None, end: datetime | None
) -> Raw:
    """Median days from application to first proposed match and to first held session.

    The firsts are read from `mentee_milestone`, kept by the triggers of migration 0018,
    instead of grouping every match and session of the program.
    """
    milestone = MenteeMilestone
    firsts = {
        "days_to_match": col(milestone.first_matched_at),
        "days_to_first_session": col(milestone.first_session_at),
    }
    applicants = sa.and_(
        col(Mentee.hub_id).in_(hub_ids), in_period(col(Mentee.created_at), start, end)
    )
    raw: Raw = {}
    if db.get_bind().dialect.name == "postgresql":
        # One pass: both medians over the same join (percentile_cont skips the NULLs of
        # applicants without that first).
        delays = {
            name: days_between(first, col(Mentee.created_at)) for name, first in firsts.items()
        }
        columns: list[Any] = [col(Mentee.hub_id)]
        for delay in delays.values():
            columns += [sa.func.percentile_cont(0.5).within_group(delay), sa.func.count(delay)]
        stmt = (
            sa.select(*columns)
            .join(milestone, col(milestone.mentee_id) == col(Mentee.id))
            .where(applicants)
            .group_by(col(Mentee.hub_id))
        )
        for row in (await db.execute(stmt)).all():
            for index, name in enumerate(delays):
                if row[2 + 2 * index]:
                    _put(raw, row[0], f"median_{name}", row[1 + 2 * index], row[2 + 2 * index])
        return raw
    for name, first in firsts.items():
        sample = (
            sa.select(
                col(Mentee.hub_id).label("hub_id"),
                days_between(first, col(Mentee.created_at)).label("days"),
            )
            .join(milestone, col(milestone.mentee_id) == col(Mentee.id))
            .where(applicants, first.is_not(None))
            .subquery()
        )
        for hub_id, median, people in (await db.execute(_median_sqlite(sample))).all():
            _put(raw, hub_id, f"median_{name}", median, people)
    return raw


def _count_if(condition: sa.ColumnElement[bool], column: Any) -> tuple[Any, Any]:
    """(rows matching, distinct `column` values among them)."""
    return (
        sa.func.count(sa.case((condition, 1))),
        sa.func.count(sa.distinct(sa.case((condition, column)))),
    )


async def match_outcomes(
    db: AsyncSession, hub_ids: list[uuid.UUID], start: datetime | None, end: datetime | None
) -> Raw:
    """Matches proposed, active at some point, completed and ended early in the period."""
    m = Match
    activated = col(m.activated_at)
    was_active = sa.and_(
        activated.is_not(None),
        activated < end if end is not None else sa.true(),
        sa.or_(col(m.closed_at).is_(None), col(m.closed_at) >= start)
        if start is not None
        else sa.true(),
    )
    closed_in = in_period(col(m.closed_at), start, end)
    conditions = {
        "matches_proposed": in_period(col(m.created_at), start, end),
        "matches_active": was_active,
        "matches_completed": sa.and_(col(m.status) == COMPLETED, closed_in),
        "matches_ended_early": sa.and_(col(m.status) == ENDED_EARLY, closed_in),
    }
    columns: list[Any] = [col(m.hub_id)]
    for condition in conditions.values():
        columns.extend(_count_if(condition, col(m.mentee_id)))
    stmt = sa.select(*columns).where(col(m.hub_id).in_(hub_ids)).group_by(col(m.hub_id))
    raw: Raw = {}
    for row in (await db.execute(stmt)).all():
        for index, name in enumerate(conditions):
            _put(raw, row[0], name, row[1 + 2 * index], row[2 + 2 * index])
    return raw


# A cell's people are counted exactly only while they are few: suppression asks whether a
# figure rests on fewer than MIN_PEOPLE people, never how many more there are.
_PROBE = 1000


async def _people_behind(db: AsyncSession, rows: int, where: sa.ColumnElement[bool]) -> int:
    """Distinct mentees among the sessions matching `where` (`rows` of them), exact below
    MIN_PEOPLE; at or above it, possibly a lower bound that is itself at least MIN_PEOPLE.

    The first _PROBE matching rows nearly always hold five different people (one index
    range, well under a millisecond); only a cell of many sessions among very few people
    is counted in full.
    """
    s = MentoringSession
    if rows == 0:
        return 0
    probe = sa.select(col(s.mentee_id).label("person")).where(where).limit(_PROBE).subquery()
    seen, people = (
        await db.execute(sa.select(sa.func.count(), sa.func.count(sa.distinct(probe.c.person))))
    ).one()
    if people >= MIN_PEOPLE or seen < _PROBE:
        return int(people)
    exact = sa.select(sa.func.count(sa.distinct(col(s.mentee_id)))).where(where)
    return int(await db.scalar(exact) or 0)


async def session_figures(
    db: AsyncSession, hub_ids: list[uuid.UUID], start: datetime | None, end: datetime | None
) -> Raw:
    """Sessions held, cancelled and no-show in the period; hours held; average rating.

    One grouping by hub and status (a few groups, read from the covering index by hub and
    time), then the people behind each cell, counted only as far as suppression needs.
    """
    s = MentoringSession
    period = in_period(col(s.scheduled_at), start, end)
    statuses = (HELD, CANCELLED, NO_SHOW)
    stmt = (
        sa.select(
            col(s.hub_id),
            col(s.status),
            sa.func.count(),
            sa.func.sum(col(s.duration_minutes)),
            sa.func.sum(col(s.feedback_rating)),
            sa.func.count(col(s.feedback_rating)),
        )
        .where(col(s.hub_id).in_(hub_ids), col(s.status).in_(statuses), period)
        .group_by(col(s.hub_id), col(s.status))
    )
    raw: Raw = {}
    for hub_id, status, count, minutes, rating_sum, ratings in (await db.execute(stmt)).all():
        cell = sa.and_(col(s.hub_id) == hub_id, col(s.status) == status, period)
        people = await _people_behind(db, count, cell)
        _put(raw, hub_id, f"sessions_{status}", count, people)
        if status != HELD:
            continue
        _put(raw, hub_id, "hours_of_mentoring", float(minutes or 0) / 60, people)
        rated = sa.and_(cell, col(s.feedback_rating).is_not(None))
        average = float(rating_sum or 0) / ratings if ratings else None
        _put(
            raw, hub_id, "average_session_rating", average, await _people_behind(db, ratings, rated)
        )
    return raw


async def evaluation_figures(
    db: AsyncSession, hub_ids: list[uuid.UUID], start: datetime | None, end: datetime | None
) -> Raw:
    """Average satisfaction and goals met of the evaluations submitted in the period."""
    e = Evaluation
    stmt = (
        sa.select(
            col(e.hub_id),
            sa.func.avg(col(e.satisfaction)),
            sa.func.avg(col(e.goals_met)),
            sa.func.count(sa.distinct(col(e.author_profile_id))),
        )
        .where(col(e.hub_id).in_(hub_ids), in_period(col(e.created_at), start, end))
        .group_by(col(e.hub_id))
    )
    raw: Raw = {}
    for hub_id, satisfaction, goals, people in (await db.execute(stmt)).all():
        _put(raw, hub_id, "evaluation_satisfaction", satisfaction, people)
        _put(raw, hub_id, "evaluation_goals_met", goals, people)
    return raw


def _first_instant_after(day: date) -> datetime:
    """The first instant of the day after `day` in Québec."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=PROGRAM_TZ)


def _per_hub(values: dict[uuid.UUID, Any], type_: Any) -> Any:
    """A CASE on the match's hub picking that hub's bound."""
    return sa.case(
        *[(col(Match.hub_id) == hub_id, sa.literal(v, type_)) for hub_id, v in values.items()]
    )


async def health_counts(db: AsyncSession, rules: dict[uuid.UUID, HealthRule], today: date) -> Raw:
    """Active matches at risk and stalled today, by the rules of app/matches/health.py.

    The rules are on dates in Québec; each threshold becomes an instant bound computed here,
    so the database compares timestamps only and both engines agree with the match's own
    `health`.
    """
    if not rules:
        return {}
    stats = MatchSessionStats
    last_held = col(stats.last_held_at)
    starts_on = col(Match.starts_on)
    held_count = sa.func.coalesce(col(stats.sessions_held), 0)

    def quiet_for(days: dict[uuid.UUID, int]) -> sa.ColumnElement[bool]:
        # today - max(local date of the last held session, starts_on) >= days
        cutoffs = {hub_id: today - timedelta(days=d) for hub_id, d in days.items()}
        bounds = {hub_id: _first_instant_after(day) for hub_id, day in cutoffs.items()}
        return sa.and_(
            starts_on <= _per_hub(cutoffs, sa.Date()),
            sa.or_(last_held.is_(None), last_held < _per_hub(bounds, UTCDateTime())),
        )

    stalled = quiet_for({h: r.stalled_days for h, r in rules.items()})
    quiet = quiet_for({h: r.at_risk_days for h, r in rules.items()})
    months = (
        (today.year - sa.extract("year", starts_on)) * 12
        + (today.month - sa.extract("month", starts_on))
        - sa.case((sa.extract("day", starts_on) > today.day, 1), else_=0)
    )
    behind = held_count < months - 1
    at_risk = sa.and_(sa.not_(stalled), sa.or_(quiet, behind))
    stmt = (
        sa.select(
            col(Match.hub_id),
            *_count_if(at_risk, col(Match.mentee_id)),
            *_count_if(stalled, col(Match.mentee_id)),
        )
        .outerjoin(stats, col(stats.match_id) == col(Match.id))
        .where(
            col(Match.hub_id).in_(list(rules)),
            col(Match.status) == ACTIVE,
            starts_on.is_not(None),
        )
        .group_by(col(Match.hub_id))
    )
    raw: Raw = {}
    for hub_id, at_risk_n, at_risk_people, stalled_n, stalled_people in (
        await db.execute(stmt)
    ).all():
        _put(raw, hub_id, "matches_at_risk", at_risk_n, at_risk_people)
        _put(raw, hub_id, "matches_stalled", stalled_n, stalled_people)
    return raw


async def mentor_load(db: AsyncSession, hub_ids: list[uuid.UUID]) -> Raw:
    """Active mentors today, their open matches and their total capacity."""
    open_matches = (
        sa.select(col(Match.mentor_id).label("mentor_id"), sa.func.count().label("n"))
        .where(col(Match.hub_id).in_(hub_ids), col(Match.status).in_(OPEN_STATUSES))
        .group_by(col(Match.mentor_id))
        .subquery()
    )
    stmt = (
        sa.select(
            col(Mentor.hub_id),
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(open_matches.c.n), 0),
            sa.func.coalesce(sa.func.sum(col(Mentor.capacity)), 0),
        )
        .outerjoin(open_matches, open_matches.c.mentor_id == col(Mentor.id))
        .where(col(Mentor.hub_id).in_(hub_ids), col(Mentor.status) == "active")
        .group_by(col(Mentor.hub_id))
    )
    raw: Raw = {}
    for hub_id, mentors, load, capacity in (await db.execute(stmt)).all():
        _put(raw, hub_id, "active_mentors", mentors, mentors)
        _put(raw, hub_id, "open_matches_of_active_mentors", load, mentors)
        _put(raw, hub_id, "capacity_of_active_mentors", capacity, mentors)
    return raw


# Monthly series: each metric is (table column of its date, condition, people column,
# value expression or None for a count).
def _series_source(metric: str) -> tuple[Any, Any, Any, Any, str | None]:
    s, m = MentoringSession, Match
    if metric == "applications_received":
        return Mentee, col(Mentee.created_at), sa.true(), col(Mentee.id), None
    if metric == "matches_proposed":
        return m, col(m.created_at), sa.true(), col(m.mentee_id), None
    if metric in ("matches_completed", "matches_ended_early"):
        status = COMPLETED if metric == "matches_completed" else ENDED_EARLY
        return m, col(m.closed_at), col(m.status) == status, col(m.mentee_id), None
    if metric == "hours_of_mentoring":
        return s, col(s.scheduled_at), col(s.status) == HELD, col(s.mentee_id), "hours"
    if metric == "average_session_rating":
        condition = sa.and_(col(s.status) == HELD, col(s.feedback_rating).is_not(None))
        return s, col(s.scheduled_at), condition, col(s.mentee_id), "rating"
    status = {"sessions_held": HELD, "sessions_cancelled": CANCELLED}.get(metric, NO_SHOW)
    return s, col(s.scheduled_at), col(s.status) == status, col(s.mentee_id), None


async def monthly(
    db: AsyncSession, metric: str, hub_ids: list[uuid.UUID], bounds: list[datetime]
) -> dict[uuid.UUID, dict[int, Cell]]:
    """Per hub and month index, one metric (bounds: the months' first instants, then the end)."""
    table, moment, condition, person, value = _series_source(metric)
    bucket = bucket_of(moment, bounds).label("bucket")
    hub = table.hub_id
    if value == "hours":
        aggregate: Any = sa.func.sum(col(MentoringSession.duration_minutes))
    elif value == "rating":
        aggregate = sa.func.avg(col(MentoringSession.feedback_rating))
    else:
        aggregate = sa.func.count()
    stmt = (
        sa.select(hub, bucket, aggregate, sa.func.count(sa.distinct(person)))
        .where(hub.in_(hub_ids), condition, in_period(moment, bounds[0], bounds[-1]))
        .group_by(hub, bucket)
    )
    result: dict[uuid.UUID, dict[int, Cell]] = {}
    for hub_id, index, amount, people in (await db.execute(stmt)).all():
        number = None if amount is None else float(amount)
        if value == "hours" and number is not None:
            number /= 60
        result.setdefault(hub_id, {})[int(index)] = Cell(number, int(people))
    return result
