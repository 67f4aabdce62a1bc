"""Time-based messages, found in the database at each run of the worker.

Each message has a `dedup_key` naming its kind, subject and period, so two workers or a
restart queue it once. A worker that was down catches up on what is still useful: a
reminder is queued only for a meeting still to come, and expires when the meeting starts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import local
from app.matches.health import AT_RISK, STALLED, health_of
from app.notifications import repository as repo
from app.notifications.rendering import format_when, lang
from app.notifications.service import link, queue
from app.users.models import User

REMINDER_AHEAD = timedelta(hours=24)
# A closed match's evaluation is recalled this long after closing, while still useful.
EVALUATION_REMINDER_AFTER = timedelta(days=7)
EVALUATION_REMINDER_UNTIL = timedelta(days=30)
WAITING_TOO_LONG_DAYS = 30


async def queue_reminders(db: AsyncSession, now: datetime) -> int:
    """A reminder to both participants of each meeting starting within 24 hours."""
    queued = 0
    for session in await repo.sessions_starting(db, now, now + REMINDER_AHEAD):
        accounts = await repo.accounts_of_profiles(db, [session.mentor_id, session.mentee_id])
        mentor_name, mentee_name = await repo.first_names(db, session.mentor_id, session.mentee_id)
        for profile_id, other in (
            (session.mentor_id, mentee_name),
            (session.mentee_id, mentor_name),
        ):
            user = accounts.get(profile_id)
            if user is None:
                continue
            queued += await queue(
                db,
                user,
                "session_reminder",
                {
                    "other": other,
                    "when": format_when(session.scheduled_at, lang(user.locale)),
                    "mode": session.mode,
                    "minutes": session.duration_minutes,
                },
                f"session_reminder:{session.id}:{session.scheduled_at.isoformat()}:{user.id}",
                preference="reminders",
                expires_at=session.scheduled_at,
            )
    return queued


async def queue_evaluation_reminders(db: AsyncSession, now: datetime) -> int:
    """A week after a match closed, a side that has not evaluated it is reminded once."""
    matches = await repo.closed_between(
        db, now - EVALUATION_REMINDER_UNTIL, now - EVALUATION_REMINDER_AFTER
    )
    done = await repo.evaluated_sides(db, [m.id for m in matches])
    queued = 0
    for match in matches:
        accounts = await repo.accounts_of_profiles(db, [match.mentor_id, match.mentee_id])
        mentor_name, mentee_name = await repo.first_names(db, match.mentor_id, match.mentee_id)
        sides = (("mentor", match.mentor_id, mentee_name), ("mentee", match.mentee_id, mentor_name))
        for side, profile_id, other in sides:
            user = accounts.get(profile_id)
            if user is None or (match.id, side) in done:
                continue
            assert match.closed_at is not None
            queued += await queue(
                db,
                user,
                "evaluation_due",
                {"other": other, "reminder": True, "link": link(f"matches/{match.id}/evaluation")},
                f"evaluation_reminder:{match.id}:{user.id}",
                preference="reminders",
                expires_at=match.closed_at + EVALUATION_REMINDER_UNTIL,
            )
    return queued


def _aware(value: Any) -> datetime | None:
    # max() over a UTC column comes back as text on SQLite.
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def week_of(now: datetime) -> tuple[str, datetime]:
    """The ISO week in Québec (`2026-W25`) and the instant it ends."""
    today = local(now).date()
    year, week, weekday = today.isocalendar()
    end_day = today + timedelta(days=8 - weekday)
    end = datetime.combine(end_day, datetime.min.time(), tzinfo=local(now).tzinfo)
    return f"{year}-W{week:02d}", end.astimezone(UTC)


async def digest_content(
    db: AsyncSession, coordinator: User, now: datetime
) -> dict[str, Any] | None:
    """What a coordinator's digest says about their own hub, or None when nothing needs them."""
    assert coordinator.hub_id is not None
    matches = await repo.active_matches(db, coordinator.hub_id)
    health = await health_of(db, matches)
    watched = [m for m in matches if health[m.id]["status"] in (AT_RISK, STALLED)]
    waiting = []
    for mentee_id, first, last, created, closed in await repo.waiting_mentees(
        db, coordinator.hub_id
    ):
        since = max(created, _aware(closed) or created)
        days = (now - since).days
        if days > WAITING_TOO_LONG_DAYS:
            waiting.append({"id": mentee_id, "name": f"{first} {last}", "days": days})
    if not watched and not waiting:
        return None
    names = await repo.people_names(
        db, [m.mentor_id for m in watched], [m.mentee_id for m in watched]
    )
    rows = [
        {
            "mentor": names.get(m.mentor_id, ""),
            "mentee": names.get(m.mentee_id, ""),
            "status": health[m.id]["status"],
            "reasons": list(health[m.id]["reasons"]),  # type: ignore[call-overload]
        }
        for m in sorted(watched, key=lambda m: (health[m.id]["status"] != STALLED, str(m.id)))
    ]
    waiting.sort(key=lambda w: (-int(w["days"]), str(w["name"])))  # type: ignore[call-overload]
    return {"matches": rows, "waiting": waiting}


async def queue_digests(db: AsyncSession, now: datetime) -> int:
    """Once a week, each coordinator receives their own hub's at-risk and waiting list."""
    period, ends = week_of(now)
    coordinators = await repo.coordinators(db)
    hubs = await repo.hubs(db, list({c.hub_id for c in coordinators if c.hub_id}))
    queued = 0
    for coordinator in coordinators:
        hub = hubs.get(coordinator.hub_id) if coordinator.hub_id else None
        if hub is None or not hub.is_active:
            continue
        content = await digest_content(db, coordinator, now)
        if content is None:
            continue
        queued += await queue(
            db,
            coordinator,
            "digest",
            {**content, "hub": hub.name, "link": link("matches?health=at_risk")},
            f"digest:{coordinator.id}:{period}",
            preference="digest",
            expires_at=ends,
        )
    return queued
