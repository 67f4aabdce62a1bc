"""Every query of the notifications domain: the outbox, and what time-based messages read."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.actor import COORDINATOR, Actor
from app.core.pagination import PageParams, PageResult, SortSpec, paginate
from app.evaluations.models import Evaluation
from app.hubs.models import Hub
from app.matches.models import ACTIVE, COMPLETED, ENDED_EARLY, Match
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from app.notifications.models import QUEUED, SENDING, Notification
from app.sessions.models import SCHEDULED, MentoringSession
from app.users.models import User

# The columns an admin sees: never the subject line's siblings, the bodies.
LOG_COLUMNS = (
    col(Notification.id),
    col(Notification.recipient_user_id),
    col(Notification.recipient_email),
    col(Notification.hub_id),
    col(Notification.template),
    col(Notification.locale),
    col(Notification.status),
    col(Notification.attempts),
    col(Notification.last_error),
    col(Notification.next_attempt_at),
    col(Notification.sent_at),
    col(Notification.created_at),
)
NOTIFICATION_SORT = SortSpec(
    columns={"created_at": col(Notification.created_at)},
    default="-created_at",
    id_column=col(Notification.id),
)


async def add_once(db: AsyncSession, values: dict[str, Any]) -> bool:
    """Queue a message unless one with its `dedup_key` exists; True when it was queued."""
    dialect = db.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = sa.inspect(Notification).local_table
    row = Notification(**values)
    # Column values as the ORM would bind them (the bodies go through EncryptedText).
    data = {c.name: getattr(row, c.name) for c in table.columns}
    stmt = insert(table).values(**data).on_conflict_do_nothing(index_elements=["dedup_key"])
    result: Any = await db.execute(stmt)
    return bool(result.rowcount == 1)


async def list_log(
    db: AsyncSession,
    actor: Actor,
    params: PageParams,
    *,
    status: str | None = None,
    template: str | None = None,
    recipient_user_id: uuid.UUID | None = None,
) -> PageResult[Any]:
    """A page of the outbox's log (admins), newest first; bodies are never read."""
    stmt: Any = sa.select(*LOG_COLUMNS)
    if not actor.is_admin:
        stmt = stmt.where(sa.false())
    if status is not None:
        stmt = stmt.where(col(Notification.status) == status)
    if template is not None:
        stmt = stmt.where(col(Notification.template) == template)
    if recipient_user_id is not None:
        stmt = stmt.where(col(Notification.recipient_user_id) == recipient_user_id)
    return await paginate(
        db, stmt, NOTIFICATION_SORT, params, lambda row: row._mapping, columns_only=True
    )


# --- the worker's claims ------------------------------------------------------------------


async def claim_due(
    db: AsyncSession, now: datetime, lease_until: datetime, limit: int
) -> list[uuid.UUID]:
    """Take up to `limit` messages due now (or whose sender died), for this worker alone.

    On PostgreSQL, rows another worker is claiming are skipped (FOR UPDATE SKIP LOCKED);
    on SQLite the caller's transaction holds the write lock (BEGIN IMMEDIATE).
    """
    due = sa.or_(
        sa.and_(col(Notification.status) == QUEUED, col(Notification.next_attempt_at) <= now),
        sa.and_(col(Notification.status) == SENDING, col(Notification.claimed_until) <= now),
    )
    stmt = (
        sa.select(col(Notification.id))
        .where(due)
        .order_by(col(Notification.next_attempt_at), col(Notification.id))
        .limit(limit)
    )
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    ids = list((await db.execute(stmt)).scalars().all())
    if ids:
        await db.execute(
            sa.update(Notification)
            .where(col(Notification.id).in_(ids))
            .values(status=SENDING, claimed_until=lease_until)
        )
    return ids


async def get(db: AsyncSession, notification_id: uuid.UUID) -> Notification | None:
    """One message, bodies included (the sender only)."""
    return await db.get(Notification, notification_id)


async def finish(
    db: AsyncSession, notification_id: uuid.UUID, lease_until: datetime, **values: Any
) -> None:
    """Record the outcome of a send, if this worker still holds the claim."""
    stmt = (
        sa.update(Notification)
        .where(
            col(Notification.id) == notification_id,
            col(Notification.status) == SENDING,
            col(Notification.claimed_until) == lease_until,
        )
        .values(claimed_until=None, **values)
    )
    await db.execute(stmt)


# --- who receives what ---------------------------------------------------------------------


async def accounts_of_profiles(
    db: AsyncSession, profile_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, User]:
    """The active account linked to each profile that has one."""
    if not profile_ids:
        return {}
    stmt = sa.select(User).where(
        col(User.profile_id).in_(list(profile_ids)), col(User.is_active).is_(True)
    )
    users = (await db.execute(stmt)).scalars().all()
    return {u.profile_id: u for u in users if u.profile_id is not None}


async def get_user(db: AsyncSession, user_id: uuid.UUID) -> User | None:
    """An account by id."""
    return await db.get(User, user_id)


async def first_names(
    db: AsyncSession, mentor_id: uuid.UUID, mentee_id: uuid.UUID
) -> tuple[str, str]:
    """The first names of a pair, as the other side may read them."""
    mentor = await db.get(Mentor, mentor_id)
    mentee = await db.get(Mentee, mentee_id)
    return (mentor.first_name if mentor else ""), (mentee.first_name if mentee else "")


async def get_session(db: AsyncSession, session_id: uuid.UUID) -> MentoringSession | None:
    """A meeting by id."""
    return await db.get(MentoringSession, session_id)


async def get_match(db: AsyncSession, match_id: uuid.UUID) -> Match | None:
    """A match by id."""
    return await db.get(Match, match_id)


# --- what time-based messages read ----------------------------------------------------------


async def sessions_starting(
    db: AsyncSession, after: datetime, until: datetime
) -> Sequence[MentoringSession]:
    """Scheduled meetings starting in (after, until]."""
    stmt = sa.select(MentoringSession).where(
        col(MentoringSession.status) == SCHEDULED,
        col(MentoringSession.scheduled_at) > after,
        col(MentoringSession.scheduled_at) <= until,
    )
    return (await db.execute(stmt)).scalars().all()


async def closed_between(db: AsyncSession, since: datetime, until: datetime) -> Sequence[Match]:
    """Matches completed or ended early within [since, until]."""
    stmt = sa.select(Match).where(
        col(Match.status).in_((COMPLETED, ENDED_EARLY)),
        col(Match.closed_at) >= since,
        col(Match.closed_at) <= until,
    )
    return (await db.execute(stmt)).scalars().all()


async def evaluated_sides(
    db: AsyncSession, match_ids: Sequence[uuid.UUID]
) -> set[tuple[uuid.UUID, str]]:
    """(match id, author role) of every evaluation already written."""
    if not match_ids:
        return set()
    stmt = sa.select(col(Evaluation.match_id), col(Evaluation.author_role)).where(
        col(Evaluation.match_id).in_(list(match_ids))
    )
    return {(row[0], row[1]) for row in (await db.execute(stmt)).all()}


async def coordinators(db: AsyncSession) -> Sequence[User]:
    """Every active coordinator account, with their hub."""
    stmt = sa.select(User).where(
        col(User.role) == COORDINATOR,
        col(User.is_active).is_(True),
        col(User.hub_id).is_not(None),
    )
    return (await db.execute(stmt)).scalars().all()


async def hubs(db: AsyncSession, hub_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Hub]:
    """Hubs by id."""
    if not hub_ids:
        return {}
    stmt = sa.select(Hub).where(col(Hub.id).in_(list(hub_ids)))
    return {h.id: h for h in (await db.execute(stmt)).scalars().all()}


async def active_matches(db: AsyncSession, hub_id: uuid.UUID) -> Sequence[Match]:
    """The hub's active matches (the ones whose health can slip)."""
    stmt = sa.select(Match).where(col(Match.hub_id) == hub_id, col(Match.status) == ACTIVE)
    return (await db.execute(stmt)).scalars().all()


async def people_names(
    db: AsyncSession, mentor_ids: Sequence[uuid.UUID], mentee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Full names of mentors and mentees by id."""
    names: dict[uuid.UUID, str] = {}
    queries = (
        sa.select(col(Mentor.id), col(Mentor.first_name), col(Mentor.last_name)).where(
            col(Mentor.id).in_(list(mentor_ids))
        ),
        sa.select(col(Mentee.id), col(Mentee.first_name), col(Mentee.last_name)).where(
            col(Mentee.id).in_(list(mentee_ids))
        ),
    )
    for stmt in queries:
        for pid, first, last in (await db.execute(stmt)).all():
            names[pid] = f"{first} {last}"
    return names


async def waiting_mentees(
    db: AsyncSession, hub_id: uuid.UUID
) -> Sequence[tuple[uuid.UUID, str, str, datetime, datetime | None]]:
    """The hub's waiting mentees: id, names, creation, and when their last match closed.

    A mentee waits since they were admitted or since their last match was declined,
    cancelled or ended: the later of their creation and that closing.
    """
    last_closed = (
        sa.select(sa.func.max(col(Match.closed_at)))
        .where(col(Match.mentee_id) == col(Mentee.id))
        .scalar_subquery()
    )
    stmt = sa.select(
        col(Mentee.id),
        col(Mentee.first_name),
        col(Mentee.last_name),
        col(Mentee.created_at),
        last_closed,
    ).where(
        col(Mentee.hub_id) == hub_id,
        col(Mentee.status) == "waiting",
        col(Mentee.anonymised_at).is_(None),
    )
    return [tuple(row) for row in (await db.execute(stmt)).all()]  # type: ignore[misc]
