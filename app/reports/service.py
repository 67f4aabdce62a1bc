"""Report rules: who may read which hub, the period, the figures and their suppression."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any, get_args

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock
from app.core.actor import Actor
from app.core.clock import PROGRAM_TZ
from app.core.errors import Forbidden, NotFound, ValidationFailed
from app.core.schemas import end_of, start_of
from app.hubs.models import Hub
from app.reports import repository as repo
from app.reports.repository import Cell, HealthRule
from app.reports.schemas import (
    Figure,
    HubSeries,
    HubSummary,
    Metric,
    Point,
    SummaryRead,
    TimeseriesRead,
)
from app.reports.suppression import suppress

SCOPE = "reports:read"
MENTEE_STATUSES = ("applicant", "waiting", "matched", "active", "completed", "withdrawn")
# The summary's figures, in the order a report shows them, with their rounding
# (0: a whole number).
FIGURES: tuple[tuple[str, int], ...] = (
    ("applications_received", 0),
    *((f"mentees_{status}", 0) for status in MENTEE_STATUSES),
    ("median_days_to_match", 1),
    ("median_days_to_first_session", 1),
    ("matches_proposed", 0),
    ("matches_active", 0),
    ("matches_completed", 0),
    ("matches_ended_early", 0),
    ("completion_rate", 4),
    ("sessions_held", 0),
    ("sessions_cancelled", 0),
    ("sessions_no_show", 0),
    ("hours_of_mentoring", 2),
    ("average_session_rating", 2),
    ("evaluation_satisfaction", 2),
    ("evaluation_goals_met", 2),
    ("matches_at_risk", 0),
    ("matches_stalled", 0),
    ("active_mentors", 0),
    ("mentor_average_load", 2),
    ("mentor_capacity_used", 4),
)
GROUPS = (("applications_received", tuple(f"mentees_{s}" for s in MENTEE_STATUSES)),)
DEPENDS = {
    "completion_rate": ("matches_completed", "matches_ended_early"),
    "hours_of_mentoring": ("sessions_held",),
    "mentor_average_load": ("active_mentors",),
    "mentor_capacity_used": ("active_mentors",),
}
# Series whose months add up to the period's figure (a withheld month needs a complement):
# every metric of a time series but the average rating.
ADDITIVE = frozenset(get_args(Metric)) - {"average_session_rating"}
MAX_MONTHS = 120


async def covered_hubs(db: AsyncSession, actor: Actor, hub_id: uuid.UUID | None) -> list[Hub]:
    """The hubs the caller may report on: admins any (all by default), others their own."""
    if actor.is_api_client:
        if not actor.has_scope(SCOPE):
            raise Forbidden()
    elif not actor.is_staff:
        raise Forbidden()
    hubs = await repo.hubs(db, actor, hub_id)
    if not hubs and (hub_id is not None or not actor.is_admin):
        # A hub out of reach is absent; staff of no hub cover nothing.
        raise NotFound()
    return hubs


def _check_period(start: date | None, end: date) -> None:
    if start is not None and start > end:
        raise ValidationFailed.field(["query", "from"], "from is after to", "period_reversed")


def _rounded(value: float | None, digits: int) -> int | float | None:
    if value is None:
        return None
    return round(value) if digits == 0 else round(value, digits)


def _ratio(numerator: Cell | None, denominator: Cell | None) -> float | None:
    if numerator is None or denominator is None or not denominator.value:
        return None
    return (numerator.value or 0) / denominator.value


def _hub_figures(raw: dict[str, Cell]) -> list[Figure]:
    """Derived figures, then suppression, for one hub."""
    cells: dict[str, Cell] = {}
    for status in MENTEE_STATUSES:
        cell = raw.get(status, Cell(0, 0))
        cells[f"mentees_{status}"] = cell
    cells["applications_received"] = Cell(
        sum(c.value or 0 for name, c in cells.items()),
        sum(c.people for c in cells.values()),
    )
    for name, _ in FIGURES:
        if name in raw and name not in cells:
            cells[name] = raw[name]
    completed, ended = cells.get("matches_completed"), cells.get("matches_ended_early")
    cells["completion_rate"] = Cell(
        _ratio(completed, Cell((completed.value or 0) + (ended.value or 0), 1))
        if completed and ended
        else None,
        (completed.people if completed else 0) + (ended.people if ended else 0),
    )
    mentors = cells.get("active_mentors")
    load, capacity = (
        raw.get("open_matches_of_active_mentors"),
        raw.get("capacity_of_active_mentors"),
    )
    people = mentors.people if mentors else 0
    cells["mentor_average_load"] = Cell(_ratio(load, mentors), people)
    cells["mentor_capacity_used"] = Cell(_ratio(load, capacity), people)
    zero_when_absent = {name for name, digits in FIGURES if digits == 0} | {"hours_of_mentoring"}
    for name, _ in FIGURES:
        if name not in cells:
            cells[name] = Cell(0 if name in zero_when_absent else None, 0)
    hidden = suppress(
        {n: c.people for n, c in cells.items()},
        {n: c.value for n, c in cells.items()},
        groups=GROUPS,
        depends=DEPENDS,
    )
    return [
        Figure(name=name, value=None, suppressed=True)
        if name in hidden
        else Figure(name=name, value=_rounded(cells[name].value, digits))
        for name, digits in FIGURES
    ]


async def summary(
    db: AsyncSession,
    actor: Actor,
    hub_id: uuid.UUID | None,
    start: date | None,
    end: date | None,
) -> SummaryRead:
    """The program's figures for each covered hub over [from, to] (days in Québec)."""
    today = clock.today()
    end = end or today
    _check_period(start, end)
    hubs = await covered_hubs(db, actor, hub_id)
    ids = [h.id for h in hubs]
    lower = start_of(start) if start is not None else None
    upper = end_of(end)
    raw: dict[uuid.UUID, dict[str, Cell]] = {h: {} for h in ids}
    if ids:
        await repo.room_to_aggregate(db)
        rules = {h.id: HealthRule(h.health_at_risk_days, h.health_stalled_days) for h in hubs}
        parts = [
            await repo.mentees_by_status(db, ids, lower, upper),
            await repo.median_delays(db, ids, lower, upper),
            await repo.match_outcomes(db, ids, lower, upper),
            await repo.session_figures(db, ids, lower, upper),
            await repo.evaluation_figures(db, ids, lower, upper),
            await repo.health_counts(db, rules, today),
            await repo.mentor_load(db, ids),
        ]
        for part in parts:
            for key, cells in part.items():
                raw[key].update(cells)
    return SummaryRead(
        from_=start,
        to=end,
        generated_at=clock.now(),
        hubs=[
            HubSummary(hub_id=h.id, hub_slug=h.slug, figures=_hub_figures(raw[h.id])) for h in hubs
        ],
    )


def _month_bounds(start: date, end: date) -> tuple[list[datetime], list[str]]:
    """The first instant of each month from `start` (itself first), then the end; labels."""
    bounds = [start_of(start)]
    labels = [f"{start.year:04d}-{start.month:02d}"]
    year, month = start.year, start.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        first = date(year, month, 1)
        if first > end:
            break
        bounds.append(datetime.combine(first, time.min, tzinfo=PROGRAM_TZ))
        labels.append(f"{year:04d}-{month:02d}")
    bounds.append(end_of(end))
    return bounds, labels


async def timeseries(
    db: AsyncSession,
    actor: Actor,
    metric: str,
    hub_id: uuid.UUID | None,
    start: date | None,
    end: date | None,
) -> TimeseriesRead:
    """One metric month by month for each covered hub (the last 12 months by default)."""
    end = end or clock.today()
    if start is None:
        back = end.year * 12 + end.month - 1 - 11
        start = date(back // 12, back % 12 + 1, 1)
    _check_period(start, end)
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
        raise ValidationFailed.field(
            ["query", "from"], f"at most {MAX_MONTHS} months", "period_too_long"
        )
    hubs = await covered_hubs(db, actor, hub_id)
    bounds, labels = _month_bounds(start, end)
    data = await repo.monthly(db, metric, [h.id for h in hubs], bounds) if hubs else {}
    digits = 2 if metric in ("hours_of_mentoring", "average_session_rating") else 0
    series = []
    for hub in hubs:
        cells = data.get(hub.id, {})
        names = [str(i) for i in range(len(labels))]
        empty: Any = None if metric == "average_session_rating" else 0
        values = {str(i): cells[i].value if i in cells else empty for i in range(len(labels))}
        people = {str(i): cells[i].people if i in cells else 0 for i in range(len(labels))}
        groups = [(None, names)] if metric in ADDITIVE else []
        hidden = suppress(people, values, groups=groups)
        series.append(
            HubSeries(
                hub_id=hub.id,
                hub_slug=hub.slug,
                points=[
                    Point(period=label, value=None, suppressed=True)
                    if name in hidden
                    else Point(period=label, value=_rounded(values[name], digits))
                    for name, label in zip(names, labels, strict=True)
                ],
            )
        )
    return TimeseriesRead(
        metric=metric,
        interval="month",
        from_=start,
        to=end,
        series=series,
    )
