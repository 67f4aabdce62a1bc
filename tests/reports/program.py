"""A small hand-built program whose report figures are known, written straight to the tables.

Hub "nord" over 2026-01-01..2026-06-30, the clock at 2026-06-15 (see FIGURES below):
- group A: 5 mentees applied 01-10, proposed 10 days later, active since 02-01, 4 sessions held
  (02-10, 03-10, 04-10, 05-25; 60 min, rated 5): healthy.
- group B: 5 mentees applied 01-10, proposed 20 days later, active since 02-01, 3 held
  (02-10, 03-10, 04-10; 60 min, rated 4): last one 66 days ago, at risk.
- group C: 5 mentees applied 01-10, proposed 20 days later, active since 02-01, 1 held
  (02-10; 90 min, no rating): stalled.
- group D: 5 mentees applied 01-02, proposed 5 days later, active 01-10, completed 05-01;
  1 held (01-17; 60 min, rated 3), 1 cancelled, 1 no-show; both sides evaluated on 05-10
  (mentee 5/4, mentor 4/3).
- group E: 5 mentees applied in 2025, active since 2025-07-01, ended early 03-15; 1 cancelled
  session in the period.
- group W: 5 mentees applied 03-01, still waiting.
- 10 active mentors of capacity 2 (the 15 open matches spread over them), 1 retired.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.core.db import unit_of_work
from app.evaluations.models import Evaluation
from app.hubs.models import Hub
from app.matches.models import Match
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from app.sessions.models import MentoringSession

NOW = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)
PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}

FIGURES: dict[str, int | float | None] = {
    "applications_received": 25,
    "mentees_applicant": 0,
    "mentees_waiting": 5,
    "mentees_matched": 0,
    "mentees_active": 15,
    "mentees_completed": 5,
    "mentees_withdrawn": 0,
    "median_days_to_match": 15.0,
    "median_days_to_first_session": 31.0,
    "matches_proposed": 20,
    "matches_active": 25,
    "matches_completed": 5,
    "matches_ended_early": 5,
    "completion_rate": 0.5,
    "sessions_held": 45,
    "sessions_cancelled": 10,
    "sessions_no_show": 5,
    "hours_of_mentoring": 47.5,
    "average_session_rating": 4.38,
    "evaluation_satisfaction": 4.5,
    "evaluation_goals_met": 3.5,
    "matches_at_risk": 5,
    "matches_stalled": 5,
    "active_mentors": 10,
    "mentor_average_load": 1.5,
    "mentor_capacity_used": 0.75,
}
# Sessions held per month of the period (Québec months).
HELD_BY_MONTH = {
    "2026-01": 5,
    "2026-02": 15,
    "2026-03": 10,
    "2026-04": 10,
    "2026-05": 5,
    "2026-06": 0,
}
HOURS_BY_MONTH = {
    "2026-01": 5,
    "2026-02": 17.5,
    "2026-03": 10,
    "2026-04": 10,
    "2026-05": 5,
    "2026-06": 0,
}


def at(day: str, hour: int = 12) -> datetime:
    """Noon UTC (morning in Montréal) of a day."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def mentee(hub: Hub, status: str, created: datetime, **fields: Any) -> Mentee:
    """A mentee row."""
    return Mentee(
        hub_id=hub.id,
        first_name="Luc",
        last_name="Gagnon",
        email=f"mentee-{uuid.uuid4().hex[:10]}@example.org",
        languages=["fr"],
        status=status,
        organization_name="Coop",
        legal_form="solidarity_coop",
        sector="housing",
        region="06",
        created_at=created,
        updated_at=created,
        **fields,
    )


def mentor(hub: Hub, status: str = "active", capacity: int = 2) -> Mentor:
    """A mentor row."""
    return Mentor(
        hub_id=hub.id,
        first_name="Marie",
        last_name="Tremblay",
        email=f"mentor-{uuid.uuid4().hex[:10]}@example.org",
        languages=["fr"],
        status=status,
        capacity=capacity,
        trained_on=date(2025, 1, 1),
        ethics_signed_on=date(2025, 1, 1),
    )


def match(
    hub: Hub,
    who: Mentee,
    by: Mentor,
    status: str,
    created: datetime,
    starts_on: date | None = None,
    closed: datetime | None = None,
) -> Match:
    """A match row."""
    return Match(
        hub_id=hub.id,
        mentee_id=who.id,
        mentor_id=by.id,
        status=status,
        created_at=created,
        starts_on=starts_on,
        activated_at=datetime.combine(starts_on, datetime.min.time(), UTC) if starts_on else None,
        ends_on=starts_on.replace(year=starts_on.year + 1) if starts_on else None,
        closed_at=closed,
    )


def session(
    hub: Hub,
    pair: Match,
    when: datetime,
    status: str = "held",
    minutes: int = 60,
    rating: int | None = None,
) -> MentoringSession:
    """A session row."""
    return MentoringSession(
        match_id=pair.id,
        hub_id=hub.id,
        mentor_id=pair.mentor_id,
        mentee_id=pair.mentee_id,
        scheduled_at=when,
        ends_at=when + timedelta(minutes=minutes),
        duration_minutes=minutes,
        mode="video",
        status=status,
        feedback_rating=rating,
    )


async def save(rows: list[Any]) -> None:
    """Write rows in dependency order (people, matches, then the rest)."""
    order = (Hub, Mentor, Mentee, Match)
    async with unit_of_work(write=True) as db:
        for kind in order:
            for row in rows:
                if isinstance(row, kind):
                    db.add(row)
            await db.flush()
        db.add_all([r for r in rows if not isinstance(r, order)])


async def build(hub: Hub) -> None:
    """The program described in the module docstring, in `hub`."""
    mentors = [mentor(hub) for _ in range(10)]
    rows: list[Any] = [*mentors, mentor(hub, status="retired")]
    index = 0

    def next_mentor() -> Mentor:
        nonlocal index
        chosen = mentors[index % len(mentors)]
        index += 1
        return chosen

    groups = {
        # applied, proposed after (days), held sessions (day, minutes, rating)
        "A": (10, [("2026-02-10", 60, 5), ("2026-03-10", 60, 5), ("2026-04-10", 60, 5)]),
        "B": (20, [("2026-02-10", 60, 4), ("2026-03-10", 60, 4), ("2026-04-10", 60, 4)]),
        "C": (20, [("2026-02-10", 90, None)]),
    }
    for name, (delay, held) in groups.items():
        for _ in range(5):
            person = mentee(hub, "active", at("2026-01-10"))
            pair = match(
                hub,
                person,
                next_mentor(),
                "active",
                at("2026-01-10") + timedelta(days=delay),
                starts_on=date(2026, 2, 1),
            )
            rows += [person, pair]
            rows += [session(hub, pair, at(day), minutes=m, rating=r) for day, m, r in held]
            if name == "A":
                rows.append(session(hub, pair, at("2026-05-25"), rating=5))
    for _ in range(5):
        person = mentee(hub, "completed", at("2026-01-02"))
        by = next_mentor()
        pair = match(
            hub,
            person,
            by,
            "completed",
            at("2026-01-07"),
            starts_on=date(2026, 1, 10),
            closed=at("2026-05-01"),
        )
        rows += [
            person,
            pair,
            session(hub, pair, at("2026-01-17"), rating=3),
            session(hub, pair, at("2026-01-24"), status="cancelled"),
            session(hub, pair, at("2026-01-31"), status="no_show"),
        ]
        for role, author, satisfaction, goals in (
            ("mentee", person.id, 5, 4),
            ("mentor", by.id, 4, 3),
        ):
            rows.append(
                Evaluation(
                    match_id=pair.id,
                    hub_id=hub.id,
                    author_role=role,
                    author_profile_id=author,
                    satisfaction=satisfaction,
                    goals_met=goals,
                    created_at=at("2026-05-10"),
                )
            )
    for _ in range(5):
        person = mentee(hub, "waiting", at("2025-06-01"))
        pair = match(
            hub,
            person,
            next_mentor(),
            "ended_early",
            at("2025-06-10"),
            starts_on=date(2025, 7, 1),
            closed=at("2026-03-15"),
        )
        rows += [
            person,
            pair,
            session(hub, pair, at("2025-08-01"), rating=1),
            session(hub, pair, at("2026-02-15"), status="cancelled"),
        ]
    rows += [mentee(hub, "waiting", at("2026-03-01")) for _ in range(5)]
    await save(rows)
