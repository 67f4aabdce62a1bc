"""Logins, refresh-token rotation with reuse detection, lockout, client credentials."""

from __future__ import annotations

import math
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import metrics
from app.core.config import get_settings
from app.core.errors import InvalidClient, InvalidCredentials, InvalidToken, TooManyRequests
from app.core.security import create_access_token, digest, new_secret, verify_password
from app.core.types import utcnow
from app.users import repository as repo
from app.users.models import AuthSession, RefreshToken
from app.users.schemas import TokenResponse


def _locked(seconds: float) -> TooManyRequests:
    wait = max(1, math.ceil(seconds))
    return TooManyRequests(params={"seconds": wait}, headers={"Retry-After": str(wait)})


async def _issue(db: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID) -> TokenResponse:
    settings = get_settings()
    refresh = new_secret(32)
    db.add(
        RefreshToken(
            session_id=session_id,
            token_digest=digest(refresh),
            expires_at=utcnow() + timedelta(seconds=settings.refresh_token_ttl_seconds),
        )
    )
    access, ttl = create_access_token(str(user_id), kind="user", session_id=str(session_id))
    return TokenResponse(access_token=access, expires_in=ttl, refresh_token=refresh)


async def login(db: AsyncSession, email: str, password: str) -> TokenResponse:
    """Password grant; the same answer for an unknown email and a wrong password."""
    settings = get_settings()
    if "\x00" in email or "\x00" in password:
        # Never a valid login, and the database cannot even compare such text.
        raise InvalidCredentials()
    email = email.strip().lower()
    now = utcnow()
    throttle = await repo.get_throttle(db, email)
    if throttle and throttle.locked_until and throttle.locked_until > now:
        raise _locked((throttle.locked_until - now).total_seconds())
    user = await repo.get_by_email(db, email)
    valid, new_hash = await verify_password(password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        window_start = now - timedelta(seconds=settings.login_lockout_seconds)
        failures = await repo.record_failure(db, email, now, window_start)
        metrics.LOGIN_FAILURES.inc()
        if failures >= settings.login_max_failures:
            until = now + timedelta(seconds=settings.login_lockout_seconds)
            await repo.lock_out(db, email, until)
            metrics.LOCKOUTS.inc()
        # The failure is counted even though the request fails: commit it now.
        await db.commit()
        raise InvalidCredentials()
    if throttle:
        await repo.clear_throttle(db, email)
    if new_hash:
        user.password_hash = new_hash
    session = AuthSession(user_id=user.id)
    db.add(session)
    await db.flush()
    return await _issue(db, user.id, session.id)


async def refresh(db: AsyncSession, token: str) -> TokenResponse:
    """Rotate a refresh token; presenting a used one revokes its whole family."""
    now = utcnow()
    stored = await repo.get_refresh_token(db, digest(token))
    if stored is None:
        raise InvalidToken()
    session = await repo.get_auth_session(db, stored.session_id)
    if session is None or session.revoked_at is not None:
        raise InvalidToken()
    if stored.used_at is not None or not await repo.claim_refresh_token(db, stored.id, now):
        # Reuse: someone holds a copy of an old token. End the login for everyone.
        await repo.revoke_session(db, session.id, now)
        await db.commit()
        raise InvalidToken()
    if stored.expires_at <= now:
        raise InvalidToken()
    actor = await repo.load_user_actor(db, session.user_id, session.id)
    if actor is None:
        raise InvalidToken()
    return await _issue(db, session.user_id, session.id)


async def logout(db: AsyncSession, session_id: uuid.UUID | None, token: str | None) -> None:
    """End a login: the access token's, and the refresh token's family if one is given."""
    now = utcnow()
    ended = False
    if session_id is not None:
        await repo.revoke_session(db, session_id, now)
        ended = True
    if token:
        stored = await repo.get_refresh_token(db, digest(token))
        if stored is not None:
            await repo.revoke_session(db, stored.session_id, now)
            ended = True
    if not ended:
        raise InvalidToken()


ClientGrant = Callable[[AsyncSession, str, str], Awaitable[TokenResponse]]
_client_grant: ClientGrant | None = None


def register_client_grant(grant: ClientGrant) -> None:
    """The composition root names who answers the client-credentials grant (app.api_clients)."""
    global _client_grant
    _client_grant = grant


async def client_credentials(db: AsyncSession, client_id: str, secret: str) -> TokenResponse:
    """Client-credentials grant for a partner hub's system (no refresh token)."""
    if _client_grant is None:
        raise InvalidClient()
    return await _client_grant(db, client_id, secret)
