"""Idempotency-Key for POST: the same key and body replay the first answer, per caller.

A client that retries a POST (a flaky mobile network, a partner's job runner) sends the
same `Idempotency-Key`; the first answer is stored and replayed, so nothing is created
twice. Keys are scoped to the caller (user or API client) and kept for 24 hours.

Only requests that reached the caller dependency (authenticated, not rate-limited) claim
a key, so a 401 or a 429 is never stored; the claim and the answer belong to the
request's own transaction.

A stored answer may hold what the caller wrote (a session's agenda): it is sealed under
the caller's own data key (app.core.envelope, the record's id bound as associated data).
Once the caller's keys are destroyed (erasure), their stored answers cannot be opened and
count as expired, like answers older than 24 hours.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col
from starlette.datastructures import Headers
from starlette.types import Message, Receive, Scope, Send

from app.core import envelope
from app.core.db import open_session
from app.core.errors import PROBLEM_JSON, AppError, Conflict, Text, ValidationFailed
from app.core.i18n import negotiate
from app.core.middleware import HttpMiddleware
from app.core.models import created_field, id_field
from app.core.types import UTCDateTime, utcnow

RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ("content-type", "location", "etag")


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a (caller, key) POST."""

    __tablename__ = "idempotency_record"
    __table_args__ = (sa.UniqueConstraint("caller", "key"),)

    id: uuid.UUID = id_field()
    caller: str = Field(max_length=80, nullable=False)
    key: str = Field(max_length=MAX_KEY_LENGTH, nullable=False)
    fingerprint: str = Field(max_length=64, nullable=False)
    status_code: int | None = Field(default=None)
    headers: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    body: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = created_field()
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class KeyReused(AppError):
    """422: this key was used for a different request."""

    status = 422
    type = "idempotency-key-reused"
    title = Text(fr="Clé d'idempotence réutilisée", en="Idempotency key reused")
    detail = Text(
        fr="Cette clé Idempotency-Key a déjà servi pour une autre requête.",
        en="This Idempotency-Key was already used for another request.",
    )


class KeyInUse(Conflict):
    """409: the first request with this key is still running."""

    type = "idempotency-key-in-use"
    title = Text(fr="Requête déjà en cours", en="Request in progress")
    detail = Text(
        fr="Une requête avec cette clé Idempotency-Key est encore en cours.",
        en="A request with this Idempotency-Key is still in progress.",
    )


@dataclass
class PendingKey:
    """An Idempotency-Key on its way through one request (kept in the ASGI scope's state)."""

    key: str
    fingerprint: str
    caller: str | None = None
    #: The request's own session, once the key is claimed in its transaction.
    session: AsyncSession | None = None
    #: The claimed record's id (the place its sealed answer is bound to).
    record_id: uuid.UUID | None = None


class ReplayStored(Exception):
    """The request is a retry: answer with the stored response (handled in app.core.handlers)."""

    def __init__(self, record: IdempotencyRecord, body: bytes) -> None:
        super().__init__("idempotent replay")
        # Copied out: the request's transaction rolls back (and expires the row) first.
        self.status_code = record.status_code or 200
        self.headers: dict[str, str] = dict(record.headers)
        self.body = body


def _place(record_id: uuid.UUID) -> envelope.Place:
    return envelope.Place("idempotency_record", "body", record_id)


def _owner(caller: str) -> uuid.UUID:
    """The data key owner of a caller (`user:<id>`, `api_client:<id>`)."""
    return uuid.UUID(caller.partition(":")[2])


async def _opened(record: IdempotencyRecord) -> bytes | None:
    """The stored answer's body; None when it can no longer be opened (keys destroyed)."""
    if not record.body:
        return b""
    try:
        text = await envelope.open_value(_place(record.id), record.body)
    except envelope.CiphertextMismatch:
        return None
    return None if text is None else base64.b64decode(text)


def pending_key(state: Any) -> PendingKey | None:
    """The request's Idempotency-Key, if it carries one this service honours."""
    pending = getattr(state, "idempotency", None)
    return pending if isinstance(pending, PendingKey) else None


def _select(caller: str, key: str) -> sa.Select[IdempotencyRecord]:
    return sa.select(IdempotencyRecord).where(
        col(IdempotencyRecord.caller) == caller, col(IdempotencyRecord.key) == key
    )


async def _answer_or_refusal(pending: PendingKey, existing: IdempotencyRecord) -> Exception:
    if existing.fingerprint != pending.fingerprint:
        return KeyReused()
    if existing.completed_at is None or existing.status_code is None:
        return KeyInUse()
    body = await _opened(existing)
    if body is None:
        return KeyInUse()
    return ReplayStored(existing, body)


async def _expired(existing: IdempotencyRecord, now: datetime) -> bool:
    """Older than the retention, or an answer its caller's destroyed key no longer opens."""
    if existing.created_at < now - RETENTION:
        return True
    return existing.completed_at is not None and await _opened(existing) is None


async def claim(db: AsyncSession, pending: PendingKey, caller: str) -> None:
    """Take the key in the request's own transaction, or answer as the first request did.

    The record is inserted in the same transaction as the effect it guards: both commit
    together or neither does, so a retry after a crash runs the effect again only if it
    never happened. A concurrent first request holds the unique (caller, key) entry until
    it commits; this one then sees its stored answer.
    """
    now = utcnow()
    existing = (await db.execute(_select(caller, pending.key))).scalar_one_or_none()
    if existing is not None and await _expired(existing, now):
        await db.delete(existing)
        await db.flush()
        existing = None
    if existing is not None:
        raise await _answer_or_refusal(pending, existing)
    record = IdempotencyRecord(caller=caller, key=pending.key, fingerprint=pending.fingerprint)
    try:
        async with db.begin_nested():
            db.add(record)
    except IntegrityError:
        # Another request with this key committed first (PostgreSQL waited for it).
        existing = (await db.execute(_select(caller, pending.key))).scalar_one_or_none()
        raise (await _answer_or_refusal(pending, existing) if existing else KeyInUse()) from None
    pending.caller = caller
    pending.session = db
    pending.record_id = record.id


async def _answer_values(
    caller: str, record_id: uuid.UUID, status: int, headers: dict[str, str], body: bytes
) -> dict[str, Any]:
    # Answers may carry session content: sealed under the caller's key (none if erased).
    text = base64.b64encode(body).decode()
    sealed = await envelope.seal(_owner(caller), _place(record_id), text)
    return {"status_code": status, "headers": headers, "body": sealed, "completed_at": utcnow()}


async def _store_in_transaction(
    pending: PendingKey, status: int, headers: dict[str, str], body: bytes
) -> None:
    """Store the answer in the request's transaction, then commit both together."""
    db = pending.session
    assert db is not None and pending.caller is not None and pending.record_id is not None
    try:
        if status < 500:
            values = await _answer_values(pending.caller, pending.record_id, status, headers, body)
            await db.execute(
                sa.update(IdempotencyRecord)
                .where(col(IdempotencyRecord.id) == pending.record_id)
                .values(**values)
            )
            await db.commit()
        else:
            await db.rollback()
    except BaseException:
        await db.rollback()
        raise
    finally:
        await db.close()


async def _store_refusal(
    pending: PendingKey, status: int, headers: dict[str, str], body: bytes
) -> None:
    """A refusal after the key was claimed (its transaction rolled back): store the answer alone."""
    assert pending.caller is not None
    record_id = uuid.uuid4()
    values = await _answer_values(pending.caller, record_id, status, headers, body)
    db = await open_session(write=True)
    try:
        db.add(
            IdempotencyRecord(
                id=record_id,
                caller=pending.caller,
                key=pending.key,
                fingerprint=pending.fingerprint,
                **values,
            )
        )
        await db.commit()
    except IntegrityError:
        await db.rollback()  # a concurrent retry stored it first
    finally:
        await db.close()


def idempotent_post(path: str, method: str) -> bool:
    """Whether a request may carry an Idempotency-Key: a POST of the API outside /auth/."""
    return (
        method.upper() == "POST"
        and path.startswith("/api/")
        and not path.startswith("/api/v1/auth/")
    )


class IdempotencyMiddleware(HttpMiddleware):
    """Honour Idempotency-Key on POST: the key is claimed, and the answer stored, by the
    request's own unit of work (`claim`, from the caller dependency); this middleware only
    fingerprints the request and holds the answer until that transaction committed."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        key = headers.get("idempotency-key")
        path: str = scope.get("path", "")
        if not key or not idempotent_post(path, scope.get("method", "")):
            await self.app(scope, receive, send)
            return
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
            locale = negotiate(headers.get("accept-language"))
            error = ValidationFailed.field(["header", "Idempotency-Key"], "Invalid key", "custom")
            await _send_problem(send, error, locale)
            return

        chunks: list[bytes] = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        body = b"".join(chunks)
        fingerprint = hashlib.sha256(
            b"\n".join([path.encode(), (scope.get("query_string") or b""), body])
        ).hexdigest()
        pending = PendingKey(key=key, fingerprint=fingerprint)
        scope.setdefault("state", {})["idempotency"] = pending

        delivered = False

        async def replay_receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        held: list[Message] = []

        async def holding_send(message: Message) -> None:
            held.append(message)

        try:
            await self.app(scope, replay_receive, holding_send)
        except BaseException:
            if pending.session is not None:
                await pending.session.rollback()
                await pending.session.close()
            raise
        start = next((m for m in held if m["type"] == "http.response.start"), None)
        status = int(start["status"]) if start else 500
        kept: dict[str, str] = {}
        for name, value in start.get("headers", []) if start else []:
            lowered = name.decode("latin-1").lower()
            if lowered in REPLAYED_HEADERS:
                kept[lowered] = value.decode("latin-1")
        answer = b"".join(m.get("body", b"") for m in held if m["type"] == "http.response.body")
        if pending.session is not None:
            # The handler succeeded: effect and answer commit together, then the client hears.
            await _store_in_transaction(pending, status, kept, answer)
        elif pending.caller is not None and status < 500:
            await _store_refusal(pending, status, kept, answer)
        for message in held:
            await send(message)


async def _send_problem(send: Send, error: AppError, locale: Any) -> None:
    body = json.dumps(error.render(locale)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
