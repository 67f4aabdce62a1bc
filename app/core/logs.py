"""Structured logs: one JSON object per line, and one access line per request.

Access lines carry the method, the route template (never the path, which holds ids), the
status, the duration, the request id and who called (actor type, id and hub); never a
name, an email, a token, a password, a body or session content.
"""

from __future__ import annotations

import logging
import sys
import time
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.actor import Actor
from app.core.middleware import request_id_var

access_logger = logging.getLogger("mentorat.access")
# Filled while a request runs: the caller, once authenticated (see app.core.deps).
_request_fields: ContextVar[dict[str, Any] | None] = ContextVar("request_fields", default=None)
FORMAT = "{asctime}{levelname}{name}{message}"
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}


def json_formatter() -> logging.Formatter:
    """The formatter of every line the service writes."""
    return JsonFormatter(FORMAT, style="{", rename_fields=RENAMED, json_ensure_ascii=False)


class _RequestIdFilter(logging.Filter):
    """Adds the current request id to any line written while a request runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the service's loggers and uvicorn's (idempotent)."""
    root = logging.getLogger()
    if not any(getattr(h, "_mentorat", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(json_formatter())
        handler.addFilter(_RequestIdFilter())
        handler._mentorat = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        # Their lines go up to the root's JSON handler instead of their own plain ones.
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # Uvicorn's access lines are replaced by ours (they would also show raw paths).
    logging.getLogger("uvicorn.access").disabled = True


# uvicorn.run(log_config=...): leave logging to configure_logging().
UVICORN_LOG_CONFIG: dict[str, Any] = {"version": 1, "disable_existing_loggers": False}


def route_template(scope: Scope) -> str:
    """The matched route's full path template (`/api/v1/mentees/{profile_id}`), never ids."""
    context = scope.get("fastapi", {}).get("effective_route_context")
    path = getattr(context, "path", None) or getattr(scope.get("route"), "path", None)
    return str(path) if path else "unmatched"


def note_actor(actor: Actor) -> None:
    """Record who is calling, for the request's access line."""
    fields = _request_fields.get()
    if fields is not None:
        fields.update(
            actor_type=actor.kind,
            actor_id=str(actor.id),
            hub_id=str(actor.hub_id) if actor.hub_id else None,
        )


class AccessLogMiddleware:
    """One structured line per request, written when the answer is complete."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status_code = 500
        fields: dict[str, Any] = {"actor_type": None, "actor_id": None, "hub_id": None}
        token = _request_fields.set(fields)

        async def recording_send(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            _request_fields.reset(token)
            access_logger.info(
                "request",
                extra={
                    "method": scope.get("method", "?"),
                    "route": route_template(scope),
                    "status": status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "request_id": request_id_var.get(),
                    **fields,
                },
            )
