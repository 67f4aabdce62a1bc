"""Every query on sessions, private notes and calendar feeds."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from app.core import authz, crypto
from app.core.actor import MENTEE, MENTOR, Actor
from app.core.envelope import PREFIX as SEALED_PREFIX
from app.core.pagination import PageParams, PageResult, SortSpec, paginate
from app.sessions.models import (
    BUSY_STATUSES,
    CANCELLED,
    ENCRYPTED_COLUMNS,
    HELD,
    SCHEDULED,
    CalendarFeed,
    MentoringSession,
    SessionNote,
)

SESSION_SORT = SortSpec(
    columns={
        "scheduled_at": col(MentoringSession.scheduled_at),
        "created_at": col(MentoringSession.created_at),
        "updated_at": col(MentoringSession.updated_at),
    },
    default="scheduled_at",
    id_column=col(MentoringSession.id),
)


_COLUMNS = authz.Columns(
    hub_id=col(MentoringSession.hub_id),
    own=authz.own_by(
        {MENTOR: col(MentoringSession.mentor_id), MENTEE: col(MentoringSession.mentee_id)}
    ),
)


# Sessions the caller may see (app.core.authz): all, own hub, or their own matches'.
SESSIONS = authz.Scoped(MentoringSession, "session", _COLUMNS)
reach = SESSIONS.reach
get_visible = SESSIONS.get_visible


async def list_visible(
    db: AsyncSession, actor: Actor, params: PageParams, filters: dict[str, Any]
) -> PageResult[MentoringSession]:
    """A page of sessions within reach; filters match_id, status, from, to."""
    stmt = sa.select(MentoringSession).where(reach(actor))
    if filters.get("match_id") is not None:
        stmt = stmt.where(col(MentoringSession.match_id) == filters["match_id"])
    if filters.get("status") is not None:
        stmt = stmt.where(col(MentoringSession.status) == filters["status"])
    if filters.get("from") is not None:
        stmt = stmt.where(col(MentoringSession.scheduled_at) >= filters["from"])
    if filters.get("to") is not None:
        stmt = stmt.where(col(MentoringSession.scheduled_at) < filters["to"])
    return await paginate(db, stmt, SESSION_SORT, params, lambda row: row[0])


async def overlapping(
    db: AsyncSession,
    *,
    mentor_id: uuid.UUID,
    mentee_id: uuid.UUID,
    starts: datetime,
    ends: datetime,
    except_id: uuid.UUID | None = None,
) -> bool:
    """Whether the mentor or the mentee already has a session in [starts, ends)."""
    stmt = sa.select(col(MentoringSession.id)).where(
        col(MentoringSession.status).in_(BUSY_STATUSES),
        sa.or_(
            col(MentoringSession.mentor_id) == mentor_id,
            col(MentoringSession.mentee_id) == mentee_id,
        ),
        col(MentoringSession.scheduled_at) < ends,
        col(MentoringSession.ends_at) > starts,
    )
    if except_id is not None:
        stmt = stmt.where(col(MentoringSession.id) != except_id)
    return (await db.execute(stmt.limit(1))).first() is not None


async def held_stats(
    db: AsyncSession, match_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, datetime | None]]:
    """For each match: how many sessions were held and when the last one was."""
    if not match_ids:
        return {}
    stmt = (
        sa.select(
            col(MentoringSession.match_id),
            sa.func.count(),
            sa.func.max(col(MentoringSession.scheduled_at)),
        )
        .where(
            col(MentoringSession.match_id).in_(list(match_ids)),
            col(MentoringSession.status) == HELD,
        )
        .group_by(col(MentoringSession.match_id))
    )
    stats: dict[uuid.UUID, tuple[int, datetime | None]] = {}
    for match_id, count, last in (await db.execute(stmt)).all():
        stats[match_id] = (int(count), _aware(last))
    return stats


def _aware(value: Any) -> datetime | None:
    # max() over a UTC column comes back untyped on SQLite: parse it and mark it UTC.
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def sessions_of_profile(
    db: AsyncSession, role: str, profile_id: uuid.UUID
) -> Sequence[MentoringSession]:
    """Every session of a mentor or mentee (for their export and calendar)."""
    column = col(MentoringSession.mentor_id) if role == MENTOR else col(MentoringSession.mentee_id)
    stmt = (
        sa.select(MentoringSession)
        .where(column == profile_id)
        .order_by(col(MentoringSession.scheduled_at))
    )
    return (await db.execute(stmt)).scalars().all()


async def feed_sessions(
    db: AsyncSession, role: str, profile_id: uuid.UUID, since: datetime
) -> Sequence[MentoringSession]:
    """A person's scheduled and held sessions since a date (their calendar feed)."""
    column = col(MentoringSession.mentor_id) if role == MENTOR else col(MentoringSession.mentee_id)
    stmt = (
        sa.select(MentoringSession)
        .where(
            column == profile_id,
            col(MentoringSession.status).in_(BUSY_STATUSES),
            col(MentoringSession.scheduled_at) >= since,
        )
        .order_by(col(MentoringSession.scheduled_at))
    )
    return (await db.execute(stmt)).scalars().all()


async def get_note(
    db: AsyncSession, session_id: uuid.UUID, author_id: uuid.UUID
) -> SessionNote | None:
    """The author's private note on a session."""
    stmt = sa.select(SessionNote).where(
        col(SessionNote.session_id) == session_id, col(SessionNote.author_id) == author_id
    )
    return (await db.execute(stmt)).scalar_one_or_none()


async def cancel_planned(db: AsyncSession, match_id: uuid.UUID, reason: str, now: datetime) -> None:
    """Cancel the still-scheduled sessions of a match that closed."""
    await db.execute(
        sa.update(MentoringSession)
        .where(
            col(MentoringSession.match_id) == match_id,
            col(MentoringSession.status) == SCHEDULED,
        )
        .values(
            status=CANCELLED,
            cancel_reason=reason,
            updated_at=now,
            version=MentoringSession.version + 1,
        )
    )


async def delete_notes_of(db: AsyncSession, author_id: uuid.UUID) -> None:
    """Delete every private note an account wrote (anonymisation)."""
    await db.execute(sa.delete(SessionNote).where(col(SessionNote.author_id) == author_id))


async def erase_content_of(db: AsyncSession, role: str, profile_id: uuid.UUID) -> None:
    """Erase agenda, summary and feedback comment of a person's sessions (anonymisation)."""
    column = col(MentoringSession.mentor_id) if role == MENTOR else col(MentoringSession.mentee_id)
    await db.execute(
        sa.update(MentoringSession)
        .where(column == profile_id)
        .values(agenda=None, summary=None, feedback_comment=None)
    )


async def get_feed_by_digest(db: AsyncSession, token_digest: str) -> CalendarFeed | None:
    """A calendar feed by its token's digest."""
    stmt = sa.select(CalendarFeed).where(col(CalendarFeed.token_digest) == token_digest)
    return (await db.execute(stmt)).scalar_one_or_none()


async def delete_feed(db: AsyncSession, user_id: uuid.UUID) -> None:
    """Revoke a person's calendar feed."""
    await db.execute(sa.delete(CalendarFeed).where(col(CalendarFeed.user_id) == user_id))


async def rewrite_encrypted(db: AsyncSession, transform: Callable[[str], str]) -> int:
    """Pass every value still under the service key through `transform`; returns the count.

    Values sealed under a person's key (`k1.`, app.core.envelope) are left alone: rotating
    the service key rewraps the person keys instead (app.erasure.rotation).
    """
    changed = 0
    # The columns sealed by hand, and every column of every table typed EncryptedText
    # (webhook secrets, email bodies, …): a new encrypted column needs no list entry.
    columns = dict.fromkeys((*ENCRYPTED_COLUMNS, *crypto.encrypted_columns(SQLModel.metadata)))
    for table_name, column_name in columns:
        table = sa.table(table_name, sa.column("id", sa.Uuid()), sa.column(column_name, sa.Text()))
        value = table.c[column_name]
        stmt = sa.select(table.c.id, value).where(
            value.is_not(None), sa.not_(value.startswith(SEALED_PREFIX))
        )
        rows = (await db.execute(stmt)).all()
        for row_id, token in rows:
            await db.execute(
                sa.update(table).where(table.c.id == row_id).values({column_name: transform(token)})
            )
            changed += 1
    return changed
