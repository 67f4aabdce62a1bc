"""Deterministic demo data in French: hubs, staff, mentors, mentees, and the logins to try them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock
from app.core.actor import ADMIN, COORDINATOR, MENTEE, MENTOR
from app.core.db import get_engine, unit_of_work
from app.core.security import hash_password
from app.hubs.models import Hub
from app.matches.health import add_months
from app.matches.models import ACCEPTED, ACTIVE, PROPOSED, Match, MatchEvent
from app.matches.service import pair_score
from app.matching.weights import DEFAULT_WEIGHTS
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from app.seed_people import DemoHub, PeopleFactory
from app.sessions.models import HELD, SCHEDULED, MentoringSession
from app.users import repository as users_repo
from app.users.models import User

DEMO_PASSWORD = "mentorat-demo-2026"

HUBS = (
    ("montreal", "Pôle d'économie sociale de Montréal", ["06", "13"], "info@pole-montreal.example"),
    (
        "capitale-nationale",
        "Pôle régional de la Capitale-Nationale",
        ["03", "12"],
        "bonjour@pole-quebec.example",
    ),
    (
        "bas-saint-laurent",
        "Pôle d'économie sociale du Bas-Saint-Laurent",
        ["01", "11"],
        "contact@pole-bsl.example",
    ),
)
COORDINATORS = ("Geneviève Tremblay", "Mathieu Gagnon", "Josée Bouchard")


@dataclass
class SeedReport:
    """What the seed created, and the logins to print."""

    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)


async def _has_data(db: AsyncSession) -> bool:
    return await users_repo.count_users(db) > 0


async def seed_demo(
    *,
    seed: int = 42,
    admin_email: str = "admin@mentorat.example",
    admin_password: str = DEMO_PASSWORD,
    if_empty: bool = False,
    mentors: int = 30,
    mentees: int = 60,
) -> SeedReport:
    """Write the demo program; with `if_empty`, only into a database without accounts."""
    if mentors < 0 or mentees < 0:
        raise ValueError("--mentors and --mentees must be 0 or more")
    rng = random.Random(seed)
    report = SeedReport(created=False)
    try:
        async with unit_of_work(write=True) as db:
            if if_empty and await _has_data(db):
                report.logins.append(("admin", admin_email, "(existing account)"))
                return report
            staff_hash = await hash_password(DEMO_PASSWORD)
            db.add(
                User(
                    email=admin_email.lower(),
                    full_name="Administratrice nationale",
                    role=ADMIN,
                    password_hash=await hash_password(admin_password),
                )
            )
            report.logins.append(("admin", admin_email.lower(), admin_password))
            hubs: list[DemoHub] = []
            for (slug, name, regions, email), coordinator in zip(HUBS, COORDINATORS, strict=True):
                hub = Hub(
                    slug=slug,
                    name=name,
                    regions=regions,
                    contact_email=email,
                    matching_weights=dict(DEFAULT_WEIGHTS),
                )
                db.add(hub)
                await db.flush()
                login = f"coordination@{slug}.example"
                db.add(
                    User(
                        email=login,
                        full_name=coordinator,
                        role=COORDINATOR,
                        hub_id=hub.id,
                        password_hash=staff_hash,
                    )
                )
                report.logins.append((f"coordinator ({slug})", login, DEMO_PASSWORD))
                hubs.append(DemoHub(id=hub.id, slug=slug, regions=list(regions)))
            await _seed_people(db, rng, hubs, mentors, mentees, staff_hash, report)
            report.created = True
        return report
    finally:
        await get_engine().dispose()


async def _seed_people(
    db: AsyncSession,
    rng: random.Random,
    hubs: list[DemoHub],
    mentor_count: int,
    mentee_count: int,
    password_hash: str,
    report: SeedReport,
) -> None:
    """Mentors and mentees spread over the hubs, and one linked account of each kind per hub."""
    people = PeopleFactory(rng)
    # Round-robin over the hubs; each hub's first mentor can be proposed a match right away.
    mentors = [
        people.mentor(hubs[i % len(hubs)], eligible=i < len(hubs)) for i in range(mentor_count)
    ]
    mentees = [people.mentee(hubs[i % len(hubs)]) for i in range(mentee_count)]
    db.add_all(mentors)
    db.add_all(mentees)
    await db.flush()
    pairs: list[tuple[Mentor, Mentee]] = []
    for hub in hubs:
        mentor = next((m for m in mentors if m.hub_id == hub.id), None)
        own_mentees = [m for m in mentees if m.hub_id == hub.id]
        # The demo mentee is admitted, so that a match can be proposed to them at once.
        own_mentees.sort(key=lambda m: m.status != "waiting")
        mentee = own_mentees[0] if own_mentees else None
        for role, profile, login in (
            (MENTOR, mentor, f"mentor@{hub.slug}.example"),
            (MENTEE, mentee, f"mentee@{hub.slug}.example"),
        ):
            if profile is None:
                continue
            db.add(
                User(
                    email=login,
                    full_name=f"{profile.first_name} {profile.last_name}",
                    role=role,
                    hub_id=hub.id,
                    profile_id=profile.id,
                    locale=profile.locale,
                    password_hash=password_hash,
                )
            )
            label = f"{role} ({hub.slug}): {profile.first_name} {profile.last_name}"
            report.logins.append((label, login, DEMO_PASSWORD))
        if mentor is not None and mentee is not None and mentee.status == "waiting":
            pairs.append((mentor, mentee))
    await db.flush()
    await _seed_relationships(db, pairs)


async def _seed_relationships(db: AsyncSession, pairs: list[tuple[Mentor, Mentee]]) -> None:
    """The first hub's demo pair meets since three months; the others were just proposed."""
    today = clock.today()
    for index, (mentor, mentee) in enumerate(pairs):
        score, breakdown = await pair_score(db, mentee.hub_id, mentor, mentee)
        match = Match(
            hub_id=mentee.hub_id,
            mentee_id=mentee.id,
            mentor_id=mentor.id,
            score=score,
            breakdown=breakdown,
        )
        db.add(match)
        await db.flush()
        history: list[tuple[str, str | None, str]] = [("proposed", None, PROPOSED)]
        if index == 0:
            starts_on = add_months(today, -3)
            match.status = ACTIVE
            match.mentor_accepted_at = match.mentee_accepted_at = clock.now()
            match.agreement_signed_on = starts_on
            match.starts_on = starts_on
            match.ends_on = add_months(starts_on, 12)
            match.activated_at = clock.now()
            mentee.status = "active"
            history += [
                ("accepted_by_mentor", PROPOSED, PROPOSED),
                ("accepted_by_mentee", PROPOSED, ACCEPTED),
                ("activated", ACCEPTED, ACTIVE),
            ]
            _seed_sessions(db, match, starts_on)
        else:
            mentee.status = "matched"
        for seq, (action, before, after) in enumerate(history, start=1):
            db.add(
                MatchEvent(
                    match_id=match.id,
                    hub_id=match.hub_id,
                    seq=seq,
                    actor_type="system",
                    action=action,
                    from_status=before,
                    to_status=after,
                )
            )
    await db.flush()


def _seed_sessions(db: AsyncSession, match: Match, starts_on: date) -> None:
    """Two meetings held, one planned next week (content is encrypted like any other)."""
    plans = [
        (add_months(starts_on, 0) + timedelta(days=7), HELD, "Faire connaissance; attentes."),
        (add_months(starts_on, 1) + timedelta(days=7), HELD, "Gouvernance : préparer l'AGA."),
        (clock.today() + timedelta(days=7), SCHEDULED, "Financement : plan de trésorerie."),
    ]
    for day, status, agenda in plans:
        starts = datetime.combine(day, time(14, 0), tzinfo=clock.PROGRAM_TZ)
        db.add(
            MentoringSession(
                match_id=match.id,
                hub_id=match.hub_id,
                mentor_id=match.mentor_id,
                mentee_id=match.mentee_id,
                scheduled_at=starts,
                ends_at=starts + timedelta(minutes=60),
                duration_minutes=60,
                mode="video",
                status=status,
                agenda=agenda,
                summary="Prochaines étapes notées ensemble." if status == HELD else None,
                held_at=starts + timedelta(minutes=60) if status == HELD else None,
            )
        )
