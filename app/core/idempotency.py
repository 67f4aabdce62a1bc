"""Idempotency-Key for POST: the same key and body replay the first answer, per caller.

A client that retries a POST (a flaky mobile network, a partner's job runner) sends the
same `Idempotency-Key`; the first answer is stored and replayed, so nothing is created
twice. Keys are scoped to the caller (user or API client) and kept for 24 hours.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, col
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.crypto import decrypt, encrypt
from app.core.db import open_session
from app.core.errors import PROBLEM_JSON, AppError, Conflict, ValidationFailed
from app.core.i18n import negotiate
from app.core.models import created_field, id_field
from app.core.security import decode_access_token
from app.core.types import UTCDateTime, utcnow

RETENTION = timedelta(hours=24)
# A request that has held its key this long without finishing is taken to have died.
STALE_AFTER = timedelta(seconds=60)
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


class KeyInUse(Conflict):
    """409: the first request with this key is still running."""

    type = "idempotency-key-in-use"


def _caller(headers: Headers) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    claims = decode_access_token(token.strip())
    return f"{claims.kind}:{claims.subject}" if claims else None


async def _claim(caller: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """Take the key for this request; the stored record when it was already taken."""
    now = utcnow()
    db = await open_session(write=True)
    try:
        stmt = sa.select(IdempotencyRecord).where(
            col(IdempotencyRecord.caller) == caller, col(IdempotencyRecord.key) == key
        )
        existing = (await db.execute(stmt)).scalar_one_or_none()
        if existing is not None:
            expired = existing.created_at < now - RETENTION
            stale = existing.completed_at is None and existing.created_at < now - STALE_AFTER
            if not (expired or stale):
                return existing
            await db.delete(existing)
            await db.flush()
        db.add(IdempotencyRecord(caller=caller, key=key, fingerprint=fingerprint))
        try:
            await db.commit()
        except IntegrityError:
            await db.rollback()
            return (await db.execute(stmt)).scalar_one_or_none()
        return None
    finally:
        await db.close()


async def _finish(caller: str, key: str, status: int, headers: dict[str, str], body: bytes) -> None:
    db = await open_session(write=True)
    try:
        condition = (col(IdempotencyRecord.caller) == caller) & (col(IdempotencyRecord.key) == key)
        if status >= 500:
            # A failure the client may retry: free the key.
            await db.execute(sa.delete(IdempotencyRecord).where(condition))
        else:
            await db.execute(
                sa.update(IdempotencyRecord)
                .where(condition)
                .values(
                    status_code=status,
                    headers=headers,
                    # Answers may carry session content: stored encrypted like it.
                    body=encrypt(base64.b64encode(body).decode()),
                    completed_at=utcnow(),
                )
            )
        await db.commit()
    finally:
        await db.close()


class IdempotencyMiddleware:
    """Replay the first answer to a POST carrying an Idempotency-Key already seen."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get("idempotency-key")
        path: str = scope.get("path", "")
        if (
            scope.get("method") != "POST"
            or not key
            or not path.startswith("/api/")
            or path.startswith("/api/v1/auth/")
        ):
            await self.app(scope, receive, send)
            return
        caller = _caller(headers)
        if caller is None:
            await self.app(scope, receive, send)  # the app answers 401
            return
        locale = negotiate(headers.get("accept-language"))
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
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

        existing = await _claim(caller, key, fingerprint)
        if existing is not None:
            if existing.fingerprint != fingerprint:
                await _send_problem(send, KeyReused(), locale)
            elif existing.completed_at is None or existing.status_code is None:
                await _send_problem(send, KeyInUse(), locale)
            else:
                await _replay(send, existing)
            return

        delivered = False

        async def replay_receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        status = 500
        kept_headers: dict[str, str] = {}
        response_body: list[bytes] = []

        async def capturing_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    lowered = name.decode("latin-1").lower()
                    if lowered in REPLAYED_HEADERS:
                        kept_headers[lowered] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                response_body.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_receive, capturing_send)
        finally:
            await _finish(caller, key, status, kept_headers, b"".join(response_body))


async def _replay(send: Send, record: IdempotencyRecord) -> None:
    body = base64.b64decode(decrypt(record.body)) if record.body else b""
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in record.headers.items()]
    headers.append((b"idempotent-replayed", b"true"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": record.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})


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
