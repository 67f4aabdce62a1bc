"""Structured logs: one JSON object per line, and one access line per request.

Access lines carry the method, the route template (never the path, which holds ids), the
status, the duration, the request id and who called (actor type, id and hub); never a
name, an email, a token, a password, a body or session content.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from pythonjsonlogger.json import JsonFormatter
from starlette.types import Scope

from app.core.actor import Actor
from app.core.middleware import request_id_var, request_notes

access_logger = logging.getLogger("mentorat.access")
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
    notes = request_notes.get()
    if notes is not None:
        notes.update(
            actor_type=actor.kind,
            actor_id=str(actor.id),
            hub_id=str(actor.hub_id) if actor.hub_id else None,
        )


def write_access_line(scope: Scope, status: int, seconds: float, notes: dict[str, Any]) -> None:
    """One structured line per answered request (an observer of ObserveMiddleware)."""
    access_logger.info(
        "request",
        extra={
            "method": scope.get("method", "?"),
            "route": route_template(scope),
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "request_id": request_id_var.get(),
            "actor_type": notes.get("actor_type"),
            "actor_id": notes.get("actor_id"),
            "hub_id": notes.get("hub_id"),
        },
    )
