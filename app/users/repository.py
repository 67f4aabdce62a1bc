"""Every query about accounts, logins, refresh tokens and API clients."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core import authz
from app.core.actor import MENTEE, MENTOR, Actor
from app.core.db import claim_once
from app.core.pagination import PageParams, PageResult, SortSpec, paginate
from app.users.models import AuthSession, LoginThrottle, RefreshToken, User

USER_SORT = SortSpec(
    columns={
        "created_at": col(User.created_at),
        "email": col(User.email),
        "full_name": col(User.full_name),
        "updated_at": col(User.updated_at),
    },
    default="created_at",
    id_column=col(User.id),
)


_COLUMNS = authz.Columns(hub_id=col(User.hub_id), own=lambda _role, own: col(User.id) == own)


# Accounts the caller may see (app.core.authz): all, own hub, or themselves.
USERS = authz.Scoped(User, "user", _COLUMNS)
visible_to = USERS.visible_to
get_visible = USERS.get_visible


async def list_visible(
    db: AsyncSession,
    actor: Actor,
    params: PageParams,
    *,
    role: str | None = None,
    hub_id: uuid.UUID | None = None,
    is_active: bool | None = None,
    q: str | None = None,
) -> PageResult[User]:
    """A page of accounts within reach, filtered."""
    stmt = visible_to(actor)
    if role is not None:
        stmt = stmt.where(col(User.role) == role)
    if hub_id is not None:
        stmt = stmt.where(col(User.hub_id) == hub_id)
    if is_active is not None:
        stmt = stmt.where(col(User.is_active) == is_active)
    if q:
        pattern = f"%{q.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(col(User.email)).like(pattern),
                sa.func.lower(col(User.full_name)).like(pattern),
            )
        )
    return await paginate(db, stmt, USER_SORT, params, lambda row: row[0])


async def get_active(db: AsyncSession, user_id: uuid.UUID) -> User | None:
    """An active account by id (internal use: calendar feeds)."""
    stmt = sa.select(User).where(col(User.id) == user_id, col(User.is_active).is_(True))
    return (await db.execute(stmt)).scalar_one_or_none()


async def get_by_email(db: AsyncSession, email: str) -> User | None:
    """The account with this email (emails are stored lowercased)."""
    stmt = sa.select(User).where(col(User.email) == email.lower())
    return (await db.execute(stmt)).scalar_one_or_none()


async def profile_linked(db: AsyncSession, profile_id: uuid.UUID) -> bool:
    """Whether an account already links this profile."""
    stmt = sa.select(col(User.id)).where(col(User.profile_id) == profile_id)
    return (await db.execute(stmt)).first() is not None


async def account_for_profile(db: AsyncSession, profile_id: uuid.UUID) -> User | None:
    """The account linked to a mentor or mentee profile, if any."""
    stmt = sa.select(User).where(col(User.profile_id) == profile_id)
    return (await db.execute(stmt)).scalar_one_or_none()


async def count_users(db: AsyncSession) -> int:
    """How many accounts exist."""
    stmt = sa.select(sa.func.count()).select_from(User)
    return int((await db.execute(stmt)).scalar_one())


# Every authenticated request runs this: built once, so SQLAlchemy reuses its compiled form.
_USER_ACTOR = (
    sa.select(
        col(User.id), col(User.role), col(User.hub_id), col(User.locale), col(User.profile_id)
    )
    .join(AuthSession, col(AuthSession.user_id) == col(User.id))
    .where(
        col(User.id) == sa.bindparam("user_id", type_=sa.Uuid()),
        col(User.is_active).is_(True),
        col(AuthSession.id) == sa.bindparam("session_id", type_=sa.Uuid()),
        col(AuthSession.revoked_at).is_(None),
    )
)


async def load_user_actor(
    db: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID | None
) -> Actor | None:
    """The actor behind an access token: active user, login not revoked; one query."""
    connection = await db.connection()
    result = await connection.execute(_USER_ACTOR, {"user_id": user_id, "session_id": session_id})
    row = result.first()
    if row is None:
        return None
    return Actor(
        kind="user",
        id=row.id,
        role=row.role,
        hub_id=row.hub_id,
        locale=row.locale,
        profile_id=row.profile_id if row.role in (MENTOR, MENTEE) else None,
        session_id=session_id,
    )


# --- login sessions and refresh tokens -------------------------------------------------


async def get_refresh_token(db: AsyncSession, token_digest: str) -> RefreshToken | None:
    """A refresh token by its digest."""
    stmt = sa.select(RefreshToken).where(col(RefreshToken.token_digest) == token_digest)
    return (await db.execute(stmt)).scalar_one_or_none()


async def get_auth_session(db: AsyncSession, session_id: uuid.UUID) -> AuthSession | None:
    """A login session by id."""
    return await db.get(AuthSession, session_id)


async def claim_refresh_token(db: AsyncSession, token_id: uuid.UUID, now: datetime) -> bool:
    """Mark a refresh token used; False when another request used it first."""
    return await claim_once(db, RefreshToken, token_id, now)


async def revoke_session(db: AsyncSession, session_id: uuid.UUID, now: datetime) -> None:
    """Revoke a login and with it every token of its family."""
    stmt = (
        sa.update(AuthSession)
        .where(col(AuthSession.id) == session_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    await db.execute(stmt)


async def revoke_user_sessions(db: AsyncSession, user_id: uuid.UUID, now: datetime) -> None:
    """Revoke every login of an account (deactivation, password change)."""
    stmt = (
        sa.update(AuthSession)
        .where(col(AuthSession.user_id) == user_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    await db.execute(stmt)


async def revoke_user_sessions_except(
    db: AsyncSession, user_id: uuid.UUID, keep: uuid.UUID | None, now: datetime
) -> None:
    """Revoke every login of an account but one (a password change from that login)."""
    stmt = sa.update(AuthSession).where(
        col(AuthSession.user_id) == user_id,
        col(AuthSession.revoked_at).is_(None),
    )
    if keep is not None:
        stmt = stmt.where(col(AuthSession.id) != keep)
    await db.execute(stmt.values(revoked_at=now))


# --- login throttling --------------------------------------------------------------------


async def get_throttle(db: AsyncSession, email: str) -> LoginThrottle | None:
    """The failure counter of an email."""
    return await db.get(LoginThrottle, email)


async def record_failure(
    db: AsyncSession, email: str, now: datetime, window_start: datetime
) -> int:
    """Count one failed login atomically; returns the failures in the current window."""
    dialect = db.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = sa.inspect(LoginThrottle).local_table
    stmt = insert(table).values(email=email, failures=1, window_started_at=now, locked_until=None)
    stale = table.c.window_started_at < window_start
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.email],
        set_={
            "failures": sa.case((stale, 1), else_=table.c.failures + 1),
            "window_started_at": sa.case((stale, now), else_=table.c.window_started_at),
        },
    ).returning(table.c.failures)
    return int((await db.execute(stmt)).scalar_one())


async def lock_out(db: AsyncSession, email: str, until: datetime) -> None:
    """Lock an email out until a time and restart its count."""
    stmt = (
        sa.update(LoginThrottle)
        .where(col(LoginThrottle.email) == email)
        .values(locked_until=until, failures=0)
    )
    await db.execute(stmt)


async def clear_throttle(db: AsyncSession, email: str) -> None:
    """Forget the failures of an email after a successful login."""
    await db.execute(sa.delete(LoginThrottle).where(col(LoginThrottle.email) == email))
