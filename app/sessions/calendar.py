"""RFC 5545 calendars of sessions (icalendar), and the secret personal feed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from icalendar import Calendar, Event
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock
from app.core.actor import MENTEE, MENTOR, Actor
from app.core.config import get_settings
from app.core.errors import Forbidden, NotFound
from app.core.security import digest, new_secret
from app.sessions import repository as repo
from app.sessions.models import CANCELLED, CalendarFeed, MentoringSession
from app.sessions.service import present
from app.users import repository as users_repo

PRODID = "-//Mentorat//Rencontres de mentorat//FR"
FEED_HISTORY_DAYS = 30
TITLES = {"fr": "Rencontre de mentorat", "en": "Mentoring session"}
MODES = {
    "fr": {"in_person": "en personne", "video": "vidéo", "phone": "téléphone"},
    "en": {"in_person": "in person", "video": "video", "phone": "phone"},
}


def render(
    sessions: Sequence[MentoringSession], locale: str, name: str, *, with_location: bool = True
) -> bytes:
    """An iCalendar document; it never holds agenda, summary or notes."""
    lang = "en" if locale == "en" else "fr"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "America/Montreal")
    for session in sessions:
        event = Event()
        event.add("uid", f"{session.id}@mentorat")
        event.add("dtstamp", clock.now())
        event.add("dtstart", session.scheduled_at)
        event.add("dtend", session.scheduled_at + timedelta(minutes=session.duration_minutes))
        event.add("summary", f"{TITLES[lang]} ({MODES[lang].get(session.mode, session.mode)})")
        if with_location and session.location:
            event.add("location", session.location)
        event.add("status", "CANCELLED" if session.status == CANCELLED else "CONFIRMED")
        event.add("sequence", session.version)
        event.add("last-modified", session.updated_at)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def session_ics(actor: Actor, session: MentoringSession) -> bytes:
    """One session as an .ics file, for anyone who can see the session."""
    # The file shows no more than the JSON would: partner systems never get the location.
    with_location = "location" in present(actor, session)
    title = TITLES["en" if actor.locale == "en" else "fr"]
    return render([session], actor.locale, title, with_location=with_location)


async def create_feed(db: AsyncSession, actor: Actor) -> tuple[str, str]:
    """Create or rotate the caller's secret feed URL; the previous one stops working."""
    if actor.kind != "user" or actor.role not in (MENTOR, MENTEE) or actor.profile_id is None:
        raise Forbidden()
    await repo.delete_feed(db, actor.id)
    token = new_secret(32)
    db.add(CalendarFeed(user_id=actor.id, token_digest=digest(token)))
    await db.flush()
    base = get_settings().public_base_url.rstrip("/")
    return f"{base}/api/v1/calendar/{token}.ics", token


async def revoke_feed(db: AsyncSession, actor: Actor) -> None:
    """Revoke the caller's feed at once."""
    if actor.kind != "user":
        raise Forbidden()
    await repo.delete_feed(db, actor.id)


async def feed_ics(db: AsyncSession, token: str) -> bytes:
    """The feed behind a secret token: scheduled and held sessions from 30 days back."""
    feed = await repo.get_feed_by_digest(db, digest(token))
    if feed is None:
        raise NotFound()
    user = await users_repo.get_active(db, feed.user_id)
    if user is None or user.profile_id is None or user.role not in (MENTOR, MENTEE):
        raise NotFound()
    since = clock.now() - timedelta(days=FEED_HISTORY_DAYS)
    sessions = await repo.feed_sessions(db, user.role, user.profile_id, since)
    return render(sessions, user.locale, "Mentorat")
