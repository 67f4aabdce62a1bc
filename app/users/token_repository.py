"""Every query about emailed single-use links (invitations, password resets)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.db import claim_once
from app.users.models import LoginThrottle, UserToken


async def void_unused(db: AsyncSession, user_id: uuid.UUID, kind: str) -> None:
    """Forget every unused link of this kind for an account (a new one replaces them)."""
    stmt = sa.delete(UserToken).where(
        col(UserToken.user_id) == user_id,
        col(UserToken.kind) == kind,
        col(UserToken.used_at).is_(None),
    )
    await db.execute(stmt)


async def get_by_digest(db: AsyncSession, token_digest: str, kind: str) -> UserToken | None:
    """A link by its digest and kind."""
    stmt = sa.select(UserToken).where(
        col(UserToken.token_digest) == token_digest, col(UserToken.kind) == kind
    )
    return (await db.execute(stmt)).scalar_one_or_none()


async def claim(db: AsyncSession, token_id: uuid.UUID, now: datetime) -> bool:
    """Mark a link used; False when another request used it first."""
    return await claim_once(db, UserToken, token_id, now)


async def clear_lockout(db: AsyncSession, email: str) -> None:
    """Forget the failed logins and lockout of an email."""
    await db.execute(sa.delete(LoginThrottle).where(col(LoginThrottle.email) == email))
