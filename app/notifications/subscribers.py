"""Messages caused by changes: handlers of domain events, in the change's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock, events
from app.core.events import DomainEvent
from app.notifications import repository as repo
from app.notifications.rendering import format_day, format_when, lang
from app.notifications.service import link, queue
from app.sessions import calendar
from app.users import email_links
from app.users.models import INVITATION, User

ATTACHMENT_NAMES = {"fr": "rencontre.ics", "en": "session.ics"}


async def _pair(
    db: AsyncSession, event: DomainEvent, accounts: dict[uuid.UUID, User] | None = None
) -> list[tuple[str, User, str]]:
    """(side, account, first name of the other side) for each participant with an account."""
    mentor_id, mentee_id = event.subject["mentor_id"], event.subject["mentee_id"]
    if accounts is None:
        accounts = await repo.accounts_of_profiles(db, [mentor_id, mentee_id])
    mentor_name, mentee_name = await repo.first_names(db, mentor_id, mentee_id)
    result: list[tuple[str, User, str]] = []
    if mentor_id in accounts:
        result.append(("mentor", accounts[mentor_id], mentee_name))
    if mentee_id in accounts:
        result.append(("mentee", accounts[mentee_id], mentor_name))
    return result


def _caused_by(event: DomainEvent, user: User) -> bool:
    kind, actor_id = event.actor
    return kind == "user" and actor_id == user.id


@events.subscribe("user.invited")
async def send_invitation(db: AsyncSession, event: DomainEvent) -> None:
    """A new single-use link to choose a password, to the invited account."""
    user = await repo.get_user(db, event.subject["user_id"])
    if user is None or not email_links.invitable(user):
        return
    token, ttl = await email_links.issue(db, user.id, INVITATION)
    await queue(
        db,
        user,
        "invitation",
        {
            "role": user.role,
            "link": link(f"accept-invitation?token={token}"),
            "days": max(1, round(ttl.total_seconds() / 86_400)),
        },
        f"invitation:{user.id}:{event.id}",
    )


@events.subscribe_batch("match.proposed")
async def tell_proposals(db: AsyncSession, batch: Sequence[DomainEvent]) -> None:
    """Both sides hear of a proposal, and what to do next (accept or decline).

    A whole matching run's proposals at once: one query finds who of them has an account.
    """
    profiles = [e.subject[side] for e in batch for side in ("mentor_id", "mentee_id")]
    accounts = await repo.accounts_of_profiles(db, profiles)
    for event in batch:
        if event.subject["mentor_id"] in accounts or event.subject["mentee_id"] in accounts:
            await _tell_proposal(db, event, accounts)


async def _tell_proposal(
    db: AsyncSession, event: DomainEvent, accounts: dict[uuid.UUID, User]
) -> None:
    match_id = event.subject["match_id"]
    for side, user, other in await _pair(db, event, accounts):
        await queue(
            db,
            user,
            "match_proposed",
            {"side": side, "other": other, "link": link(f"matches/{match_id}")},
            f"match_proposed:{match_id}:{user.id}",
        )


@events.subscribe("match.accepted")
async def tell_acceptance(db: AsyncSession, event: DomainEvent) -> None:
    """Once both sides accepted, the side that did not answer last hears of it."""
    match_id = event.subject["match_id"]
    for _side, user, other in await _pair(db, event):
        if _caused_by(event, user):
            continue
        await queue(
            db, user, "match_accepted", {"other": other}, f"match_accepted:{match_id}:{user.id}"
        )


@events.subscribe("match.activated")
async def tell_activation(db: AsyncSession, event: DomainEvent) -> None:
    """Both sides hear that the relation begins, and are invited to plan a first session."""
    match = await repo.get_match(db, event.subject["match_id"])
    if match is None:
        return
    for _side, user, other in await _pair(db, event):
        starts = format_day(match.starts_on, user.locale) if match.starts_on else ""
        await queue(
            db,
            user,
            "match_activated",
            {"other": other, "starts_on": starts, "link": link(f"matches/{match.id}")},
            f"match_activated:{match.id}:{user.id}",
        )


@events.subscribe("session.scheduled", "session.rescheduled", "session.cancelled")
async def tell_session_change(db: AsyncSession, event: DomainEvent) -> None:
    """Both participants get the meeting's new state, with the .ics for their calendar."""
    session = await repo.get_session(db, event.subject["session_id"])
    if session is None or session.scheduled_at <= clock.now():
        # A meeting recorded after it happened needs no announcement.
        return
    template = event.type.replace(".", "_")
    for _side, user, other in await _pair(db, event):
        locale = lang(user.locale)
        ics = calendar.render([session], locale, calendar.TITLES[locale]).decode()
        await queue(
            db,
            user,
            template,
            {
                "other": other,
                "when": format_when(session.scheduled_at, locale),
                "mode": session.mode,
                "minutes": session.duration_minutes,
            },
            f"{template}:{session.id}:{session.version}:{user.id}",
            attachment=(ATTACHMENT_NAMES[locale], ics),
        )


@events.subscribe("match.completed", "match.ended")
async def ask_for_evaluation(db: AsyncSession, event: DomainEvent) -> None:
    """When a match closes, each side is asked for their evaluation."""
    match_id: uuid.UUID = event.subject["match_id"]
    for _side, user, other in await _pair(db, event):
        await queue(
            db,
            user,
            "evaluation_due",
            {"other": other, "reminder": False, "link": link(f"matches/{match_id}/evaluation")},
            f"evaluation_due:{match_id}:{user.id}",
        )
