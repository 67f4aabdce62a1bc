"""Relationship health: is a mentoring pair still meeting? Rules over dates, then data."""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock
from app.hubs import repository as hubs_repo
from app.matches.models import ACTIVE, COMPLETED, ENDED_EARLY, Match

OK, AT_RISK, STALLED = "ok", "at_risk", "stalled"
# Why a match's health is what it is (HealthRead.reasons, an enum of the document).
HealthReason = Literal[
    "no_recent_session", "behind_cadence", "midpoint_review_due", "follow_up_due"
]

# How many sessions each match held, and when the last one was: sessions lie above
# matches, so the composition root (app.wiring) registers who answers.
HeldStats = Callable[
    [AsyncSession, Sequence[uuid.UUID]], Awaitable[dict[uuid.UUID, tuple[int, datetime | None]]]
]
_held_stats: HeldStats | None = None


def register_held_stats(source: HeldStats) -> None:
    """Name the source of held-session counts (app.sessions.repository.held_stats)."""
    global _held_stats
    _held_stats = source


# A reminder stays on the match this long once it is due.
REMINDER_WINDOW_DAYS = 30
FOLLOW_UP_MONTHS = 3


@dataclass(frozen=True)
class Thresholds:
    """A hub's health settings: days without a held session."""

    at_risk_days: int = 45
    stalled_days: int = 90


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (0 when end is before start)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(0, months)


def add_months(start: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if not MINYEAR <= year <= MAXYEAR:
        raise ValueError("date out of range")
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def assess(
    *,
    status: str,
    starts_on: date | None,
    ends_on: date | None,
    closed_at: datetime | None,
    held_count: int,
    last_held_at: datetime | None,
    today: date,
    thresholds: Thresholds,
) -> dict[str, object]:
    """The health of one match: `status` (ok, at_risk, stalled) and the `reasons` codes."""
    reasons: list[HealthReason] = []
    level = OK
    if status == ACTIVE and starts_on is not None:
        # Days are counted in Québec: a meeting on an evening in Montréal is already the
        # next day in UTC.
        last = clock.local(last_held_at).date() if last_held_at else starts_on
        quiet_days = (today - max(last, starts_on)).days
        if quiet_days >= thresholds.stalled_days:
            reasons.append("no_recent_session")
            level = STALLED
        elif quiet_days >= thresholds.at_risk_days:
            reasons.append("no_recent_session")
            level = AT_RISK
        if held_count < months_between(starts_on, today) - 1:
            reasons.append("behind_cadence")
            level = level if level == STALLED else AT_RISK
        if ends_on is not None:
            midpoint = starts_on + (ends_on - starts_on) / 2
            if midpoint <= today < midpoint + timedelta(days=REMINDER_WINDOW_DAYS):
                reasons.append("midpoint_review_due")
    if status in (COMPLETED, ENDED_EARLY) and closed_at is not None:
        due = add_months(clock.local(closed_at).date(), FOLLOW_UP_MONTHS)
        if due <= today < due + timedelta(days=REMINDER_WINDOW_DAYS):
            reasons.append("follow_up_due")
    return {"status": level, "reasons": reasons}


async def health_of(
    db: AsyncSession, matches: Sequence[Match]
) -> dict[uuid.UUID, dict[str, object]]:
    """The health of each match, with two queries whatever the number of matches."""
    assert _held_stats is not None, "app.wiring.load() registers the held-session source"
    held = await _held_stats(db, [m.id for m in matches])
    hubs = await hubs_repo.get_many(db, {m.hub_id for m in matches})
    today = clock.today()
    result: dict[uuid.UUID, dict[str, object]] = {}
    for match in matches:
        hub = hubs.get(match.hub_id)
        thresholds = (
            Thresholds(hub.health_at_risk_days, hub.health_stalled_days) if hub else Thresholds()
        )
        count, last = held.get(match.id, (0, None))
        result[match.id] = assess(
            status=match.status,
            starts_on=match.starts_on,
            ends_on=match.ends_on,
            closed_at=match.closed_at,
            held_count=count,
            last_held_at=last,
            today=today,
            thresholds=thresholds,
        )
    return result
