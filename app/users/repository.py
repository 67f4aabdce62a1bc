"""Every query about accounts, logins, refresh tokens and API clients."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.actor import MENTEE, MENTOR, Actor
from app.core.pagination import PageParams, PageResult, SortSpec, paginate
from app.users.models import ApiClient, AuthSession, LoginThrottle, RefreshToken, User

USER_SORT = SortSpec(
    columns={
        "created_at": User.created_at,  # type: ignore[dict-item]
        "email": User.email,  # type: ignore[dict-item]
        "full_name": User.full_name,  # type: ignore[dict-item]
        "updated_at": User.updated_at,  # type: ignore[dict-item]
    },
    default="created_at",
    id_column=User.id,
)


def visible_to(actor: Actor) -> sa.Select[tuple[User]]:
    """Accounts the caller may see: all (admin), own hub (coordinator), self (others)."""
    stmt = sa.select(User)
    if actor.is_admin:
        return stmt
    if actor.is_coordinator:
        return stmt.where(User.hub_id == actor.hub_id)  # type: ignore[arg-type]
    if actor.kind == "user":
        return stmt.where(User.id == actor.id)  # type: ignore[arg-type]
    return stmt.where(sa.false())


async def get_visible(db: AsyncSession, actor: Actor, user_id: uuid.UUID) -> User | None:
    """One account within the caller's reach."""
    stmt = visible_to(actor).where(User.id == user_id)  # type: ignore[arg-type]
    return (await db.execute(stmt)).scalar_one_or_none()


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
        stmt = stmt.where(User.role == role)  # type: ignore[arg-type]
    if hub_id is not None:
        stmt = stmt.where(User.hub_id == hub_id)  # type: ignore[arg-type]
    if is_active is not None:
        stmt = stmt.where(User.is_active == is_active)  # type: ignore[arg-type]
    if q:
        pattern = f"%{q.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(User.email).like(pattern),
                sa.func.lower(User.full_name).like(pattern),
            )
        )
    return await paginate(db, stmt, USER_SORT, params, lambda row: row[0])


async def get_by_email(db: AsyncSession, email: str) -> User | None:
    """The account with this email (emails are stored lowercased)."""
    stmt = sa.select(User).where(User.email == email.lower())  # type: ignore[arg-type]
    return (await db.execute(stmt)).scalar_one_or_none()


async def email_taken(db: AsyncSession, email: str, *, except_id: uuid.UUID | None = None) -> bool:
    """Whether another account uses this email."""
    stmt = sa.select(User.id).where(User.email == email.lower())  # type: ignore[arg-type]
    if except_id is not None:
        stmt = stmt.where(User.id != except_id)  # type: ignore[arg-type]
    return (await db.execute(stmt)).first() is not None


async def profile_linked(db: AsyncSession, profile_id: uuid.UUID) -> bool:
    """Whether an account already links this profile."""
    stmt = sa.select(User.id).where(User.profile_id == profile_id)  # type: ignore[arg-type]
    return (await db.execute(stmt)).first() is not None


async def account_for_profile(db: AsyncSession, profile_id: uuid.UUID) -> User | None:
    """The account linked to a mentor or mentee profile, if any."""
    stmt = sa.select(User).where(User.profile_id == profile_id)  # type: ignore[arg-type]
    return (await db.execute(stmt)).scalar_one_or_none()


async def count_admins(db: AsyncSession) -> int:
    """How many admin accounts exist."""
    stmt = sa.select(sa.func.count()).select_from(User).where(User.role == "admin")  # type: ignore[arg-type]
    return int((await db.execute(stmt)).scalar_one())


async def load_user_actor(
    db: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID
) -> Actor | None:
    """The actor behind an access token: active user, login not revoked; one query."""
    stmt = (
        sa.select(User.id, User.role, User.hub_id, User.locale, User.profile_id)
        .join(AuthSession, AuthSession.user_id == User.id)  # type: ignore[arg-type]
        .where(
            User.id == user_id,  # type: ignore[arg-type]
            User.is_active.is_(True),  # type: ignore[attr-defined]
            AuthSession.id == session_id,  # type: ignore[arg-type]
            AuthSession.revoked_at.is_(None),  # type: ignore[union-attr]
        )
    )
    row = (await db.execute(stmt)).first()
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


async def load_client_actor(db: AsyncSession, client_pk: uuid.UUID) -> Actor | None:
    """The actor behind an API client's access token, unless revoked or its hub inactive."""
    from app.hubs.models import Hub

    stmt = (
        sa.select(ApiClient.id, ApiClient.hub_id, ApiClient.scopes)
        .join(Hub, Hub.id == ApiClient.hub_id)  # type: ignore[arg-type]
        .where(
            ApiClient.id == client_pk,  # type: ignore[arg-type]
            ApiClient.revoked_at.is_(None),  # type: ignore[union-attr]
            Hub.is_active.is_(True),  # type: ignore[attr-defined]
        )
    )
    row = (await db.execute(stmt)).first()
    if row is None:
        return None
    return Actor(
        kind="api_client",
        id=row.id,
        role="api_client",
        hub_id=row.hub_id,
        scopes=frozenset(row.scopes or ()),
    )


# --- login sessions and refresh tokens -------------------------------------------------


async def get_refresh_token(db: AsyncSession, token_digest: str) -> RefreshToken | None:
    """A refresh token by its digest."""
    stmt = sa.select(RefreshToken).where(RefreshToken.token_digest == token_digest)  # type: ignore[arg-type]
    return (await db.execute(stmt)).scalar_one_or_none()


async def get_auth_session(db: AsyncSession, session_id: uuid.UUID) -> AuthSession | None:
    """A login session by id."""
    return await db.get(AuthSession, session_id)


async def claim_refresh_token(db: AsyncSession, token_id: uuid.UUID, now: datetime) -> bool:
    """Mark a refresh token used; False when another request used it first."""
    stmt = (
        sa.update(RefreshToken)
        .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None))  # type: ignore[arg-type,union-attr]
        .values(used_at=now)
    )
    result: Any = await db.execute(stmt)
    return bool(result.rowcount == 1)


async def revoke_session(db: AsyncSession, session_id: uuid.UUID, now: datetime) -> None:
    """Revoke a login and with it every token of its family."""
    stmt = (
        sa.update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))  # type: ignore[arg-type,union-attr]
        .values(revoked_at=now)
    )
    await db.execute(stmt)


async def revoke_user_sessions(db: AsyncSession, user_id: uuid.UUID, now: datetime) -> None:
    """Revoke every login of an account (deactivation, password change)."""
    stmt = (
        sa.update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))  # type: ignore[arg-type,union-attr]
        .values(revoked_at=now)
    )
    await db.execute(stmt)


async def revoke_user_sessions_except(
    db: AsyncSession, user_id: uuid.UUID, keep: uuid.UUID | None, now: datetime
) -> None:
    """Revoke every login of an account but one (a password change from that login)."""
    stmt = sa.update(AuthSession).where(
        AuthSession.user_id == user_id,  # type: ignore[arg-type]
        AuthSession.revoked_at.is_(None),  # type: ignore[union-attr]
    )
    if keep is not None:
        stmt = stmt.where(AuthSession.id != keep)  # type: ignore[arg-type]
    await db.execute(stmt.values(revoked_at=now))


# --- login throttling --------------------------------------------------------------------


async def get_throttle(db: AsyncSession, email: str) -> LoginThrottle | None:
    """The failure counter of an email."""
    return await db.get(LoginThrottle, email)


async def record_failure(db: AsyncSession, email: str, now: datetime, window_start: datetime) -> int:
    """Count one failed login atomically; returns the failures in the current window."""
    dialect = db.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = LoginThrottle.__table__  # type: ignore[attr-defined]
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
        .where(LoginThrottle.email == email)  # type: ignore[arg-type]
        .values(locked_until=until, failures=0)
    )
    await db.execute(stmt)


async def clear_throttle(db: AsyncSession, email: str) -> None:
    """Forget the failures of an email after a successful login."""
    await db.execute(sa.delete(LoginThrottle).where(LoginThrottle.email == email))  # type: ignore[arg-type]


# --- API clients -----------------------------------------------------------------------------


async def list_api_clients(db: AsyncSession, hub_id: uuid.UUID) -> Sequence[ApiClient]:
    """The unrevoked API clients of a hub, oldest first."""
    stmt = (
        sa.select(ApiClient)
        .where(ApiClient.hub_id == hub_id, ApiClient.revoked_at.is_(None))  # type: ignore[arg-type,union-attr]
        .order_by(ApiClient.created_at, ApiClient.id)  # type: ignore[arg-type]
    )
    return (await db.execute(stmt)).scalars().all()


async def get_api_client(
    db: AsyncSession, hub_id: uuid.UUID, client_pk: uuid.UUID
) -> ApiClient | None:
    """An unrevoked API client of a hub."""
    stmt = sa.select(ApiClient).where(
        ApiClient.id == client_pk,  # type: ignore[arg-type]
        ApiClient.hub_id == hub_id,  # type: ignore[arg-type]
        ApiClient.revoked_at.is_(None),  # type: ignore[union-attr]
    )
    return (await db.execute(stmt)).scalar_one_or_none()


async def get_api_client_by_client_id(db: AsyncSession, client_id: str) -> ApiClient | None:
    """An unrevoked API client by its public client_id."""
    stmt = sa.select(ApiClient).where(
        ApiClient.client_id == client_id,  # type: ignore[arg-type]
        ApiClient.revoked_at.is_(None),  # type: ignore[union-attr]
    )
    return (await db.execute(stmt)).scalar_one_or_none()
