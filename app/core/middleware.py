"""Pure ASGI middleware: body size limit, request ids, security headers."""

from __future__ import annotations

import json
import logging
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import (
    PROBLEM_JSON,
    AppError,
    InternalError,
    PayloadTooLarge,
    ValidationFailed,
)
from app.core.i18n import negotiate

logger = logging.getLogger("mentorat")
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# Paths whose answers carry no personal data and may be cached by browsers.
_CACHEABLE_PREFIXES = ("/api/v1/reference",)


class _TooLarge(Exception):
    pass


class HttpMiddleware:
    """Pure ASGI middleware of HTTP requests: `handle` sees each request, anything else (the
    lifespan) passes through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """One HTTP request."""
        raise NotImplementedError


# Notes on the request being answered (who called, once authenticated), for the observers.
request_notes: ContextVar[dict[str, Any] | None] = ContextVar("request_notes", default=None)
# What observes each answered request: its scope, status, seconds and notes.
RequestObserver = Callable[[Scope, int, float, dict[str, Any]], None]


class ObserveMiddleware(HttpMiddleware):
    """Times each request and catches its status once, for every observer (the access line,
    the metrics); a request that raised counts as a 500."""

    def __init__(self, app: ASGIApp, observers: Sequence[RequestObserver]) -> None:
        super().__init__(app)
        self.observers = tuple(observers)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status_code = 500
        notes: dict[str, Any] = {}
        token = request_notes.set(notes)

        async def recording_send(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            request_notes.reset(token)
            seconds = time.perf_counter() - started
            for observe in self.observers:
                observe(scope, status_code, seconds, notes)


class BodyLimitMiddleware(HttpMiddleware):
    """Refuse bodies over the limit with 413 before anything parses them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        if b"%00" in scope.get("query_string", b"").lower():
            # PostgreSQL cannot compare text holding U+0000: refuse it before anything reads it.
            error = ValidationFailed.field(["query"], "NUL character in the query string", "custom")
            await _send(send, error, headers)
            return
        declared = headers.get("content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.max_bytes
            except ValueError:
                too_large = False
            if too_large:
                await self._refuse(headers, send)
                return

        received = 0
        exceeded = False
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if exceeded:
                # The framework caught _TooLarge while reading the body and answers 400:
                # the client gets the 413 in its place.
                if message["type"] == "http.response.start" and not response_started:
                    response_started = True
                    await self._refuse(headers, send)
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not response_started:
                await self._refuse(headers, send)

    async def _refuse(self, headers: Headers, send: Send) -> None:
        await _send(send, PayloadTooLarge(params={"limit": self.max_bytes}), headers)


async def _send(send: Send, error: AppError, headers: Headers) -> None:
    """Answer a problem straight from the middleware."""
    body = json.dumps(error.render(negotiate(headers.get("accept-language")))).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware(HttpMiddleware):
    """Request id in and out; nosniff on every answer; no-store on personal data."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else ""
        request_id = request_id or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        # Kept in the scope too: the 500 handler runs after this middleware has unwound.
        scope.setdefault("state", {})["request_id"] = request_id
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Request-ID"] = request_id
                if path.startswith("/api/") and "cache-control" not in headers:
                    if path.startswith(_CACHEABLE_PREFIXES):
                        headers["Cache-Control"] = "public, max-age=3600"
                        # Labels follow Accept-Language: caches must keep one copy per language.
                        headers.add_vary_header("Accept-Language")
                    else:
                        headers["Cache-Control"] = "no-store"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            request_id_var.reset(token)


class CrashBarrierMiddleware(HttpMiddleware):
    """The last line: an unexpected exception becomes a 500 problem and one safe log line.

    Caught here, it never reaches the server's own logger, which would print the
    exception's message (and with it request data).
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            request_id = scope.get("state", {}).get("request_id", "-")
            log_unexpected(exc, scope.get("method", "?"), scope.get("route"), request_id)
            if started:
                return
            error = InternalError()
            locale = negotiate(Headers(scope=scope).get("accept-language"))
            body = json.dumps(error.render(locale)).encode()
            headers = [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
                (b"cache-control", b"no-store"),
            ]
            if request_id != "-":
                headers.append((b"x-request-id", request_id.encode()))
            await send({"type": "http.response.start", "status": 500, "headers": headers})
            await send({"type": "http.response.body", "body": body})


def log_unexpected(exc: BaseException, method: str, route: object, request_id: str) -> None:
    """One log line for an unexpected failure: class and frames, never the message."""
    logger.error(
        "unhandled %s on %s %s (request %s)\n%s",
        type(exc).__name__,
        method,
        getattr(route, "path", "?"),
        request_id,
        "".join(traceback.format_tb(exc.__traceback__)),
    )
