"""Dependencies shared by every router: the unit of work, the caller, the locale."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.actor import Actor
from app.core.db import unit_of_work
from app.core.errors import Forbidden, InvalidToken, Unauthenticated
from app.core.i18n import Locale, negotiate
from app.core.security import decode_access_token
from app.users import repository as users_repo

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the answer is sent."""
    async for session in unit_of_work(write=request.method not in _SAFE_METHODS):
        yield session


DbSession = Annotated[AsyncSession, Depends(get_db, scope="function")]


def get_locale(request: Request) -> Locale:
    """The caller's language from Accept-Language (fr by default)."""
    return negotiate(request.headers.get("accept-language"))


RequestLocale = Annotated[Locale, Depends(get_locale)]


async def get_current_actor(
    db: DbSession, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Actor:
    """The caller behind a valid, unrevoked access token; else 401."""
    if not token:
        raise Unauthenticated()
    claims = decode_access_token(token)
    if claims is None:
        raise InvalidToken()
    try:
        subject = uuid.UUID(claims.subject)
        session_id = uuid.UUID(claims.session_id) if claims.session_id else None
    except ValueError:
        raise InvalidToken() from None
    if claims.kind == "user":
        if session_id is None:
            raise InvalidToken()
        actor = await users_repo.load_user_actor(db, subject, session_id)
    else:
        actor = await users_repo.load_client_actor(db, subject)
    if actor is None:
        raise InvalidToken()
    return actor


CurrentActor = Annotated[Actor, Depends(get_current_actor)]


async def get_admin_actor(actor: CurrentActor) -> Actor:
    """National admins only."""
    if not actor.is_admin:
        raise Forbidden()
    return actor


async def get_user_actor(actor: CurrentActor) -> Actor:
    """A person's account (not an API client)."""
    if actor.kind != "user":
        raise Forbidden()
    return actor


AdminActor = Annotated[Actor, Depends(get_admin_actor)]
UserActor = Annotated[Actor, Depends(get_user_actor)]
