"""Dependencies shared by every router: the unit of work, the caller, the locale."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import idempotency
from app.core.actor import Actor
from app.core.db import unit_of_work
from app.core.errors import Forbidden, InvalidToken, Unauthenticated
from app.core.i18n import Locale, negotiate
from app.core.logs import note_actor
from app.core.security import AccessClaims, decode_access_token

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: writing for POST/PUT/PATCH/DELETE, a snapshot for reads."""
    write = request.method not in _SAFE_METHODS
    endpoint = getattr(request.scope.get("route"), "endpoint", None)
    snapshot = write or not getattr(endpoint, _ONE_STATEMENT, False)
    async with _unit_of_work(request, write=write, snapshot=snapshot) as session:
        yield session


_ONE_STATEMENT = "_mentorat_reads_one_statement"
E = TypeVar("E", bound=Callable[..., Any])


def reads_one_statement(endpoint: E) -> E:
    """Mark a reading route whose handler reads the database with a single statement, once the
    caller is loaded (a profile list: its page and its total are one statement). One statement
    is one snapshot, so on PostgreSQL the request runs without a transaction and spares BEGIN
    and COMMIT, two round trips. A handler that makes two statements must not carry the mark
    (tests/people/test_list_statements.py counts them). Put it under the route decorator."""
    setattr(endpoint, _ONE_STATEMENT, True)
    return endpoint


async def get_writing_db(request: Request) -> AsyncIterator[AsyncSession]:
    """A writing unit of work for a read that records something (an export's audit entry)."""
    async with _unit_of_work(request, write=True) as session:
        yield session


@asynccontextmanager
async def _unit_of_work(
    request: Request, *, write: bool, snapshot: bool = True
) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the answer is sent.

    A POST whose Idempotency-Key was claimed in this transaction is committed by the
    idempotency middleware instead, together with the answer it stores.
    """
    pending = idempotency.pending_key(request.state)

    def handed_off(session: AsyncSession) -> bool:
        return pending is not None and pending.session is session

    session: AsyncSession | None = None
    try:
        async with unit_of_work(write, snapshot=snapshot, handed_off=handed_off) as session:
            yield session
    except BaseException:
        if pending is not None and session is not None and pending.session is session:
            pending.session = None  # rolled back: nothing for the middleware to commit
        raise


DbSession = Annotated[AsyncSession, Depends(get_db, scope="function")]
WritingDbSession = Annotated[AsyncSession, Depends(get_writing_db, scope="function")]


async def get_locale(request: Request) -> Locale:
    """The caller's language from Accept-Language (fr by default)."""
    return negotiate(request.headers.get("accept-language"))


RequestLocale = Annotated[Locale, Depends(get_locale)]


# Who a token's subject is: the composition root (app.wiring) registers one loader per
# kind of caller, so that core knows no domain. A loader answers None for a subject that
# no longer may call (revoked login, inactive account, revoked client, inactive hub).
ActorLoader = Callable[[AsyncSession, uuid.UUID, uuid.UUID | None], Awaitable[Actor | None]]
_actor_loaders: dict[str, ActorLoader] = {}


def register_actor_loader(kind: str, loader: ActorLoader) -> None:
    """Name how the subject of a token of this kind (`user`, `api_client`) becomes an Actor."""
    _actor_loaders[kind] = loader


def verified_claims(request: Request, token: str | None) -> AccessClaims:
    """The claims of a valid access token, decoded once per request; else 401."""
    cached: AccessClaims | None = getattr(request.state, "claims", None)
    if cached is not None:
        return cached
    if not token:
        raise Unauthenticated()
    claims = decode_access_token(token)
    if claims is None:
        raise InvalidToken()
    request.state.claims = claims
    return claims


async def load_actor(request: Request, db: AsyncSession, token: str | None) -> Actor:
    """The caller behind a valid, unrevoked access token, loaded once per request; else 401."""
    # The route guard (app.core.guard) loads the caller before the route's own dependencies.
    cached: Actor | None = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    claims = verified_claims(request, token)
    try:
        subject = uuid.UUID(claims.subject)
        session_id = uuid.UUID(claims.session_id) if claims.session_id else None
    except ValueError:
        raise InvalidToken() from None
    loader = _actor_loaders.get(claims.kind)
    if loader is None or (claims.kind == "user" and session_id is None):
        raise InvalidToken()
    actor = await loader(db, subject, session_id)
    if actor is None:
        raise InvalidToken()
    request.state.actor = actor
    return actor


async def get_current_actor(
    request: Request, db: DbSession, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Actor:
    """The caller behind a valid, unrevoked access token; else 401."""
    actor = await load_actor(request, db, token)
    note_actor(actor)
    pending = idempotency.pending_key(request.state)
    if pending is not None and pending.session is None and request.method == "POST":
        # Authenticated: the key is the caller's, claimed in this request's transaction.
        await idempotency.claim(db, pending, f"{actor.kind}:{actor.id}")
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
