"""create_app(): middleware, error handlers, routers, health and metrics."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi

from app import wiring
from app.api import include_api
from app.core.config import get_settings
from app.core.db import get_engine
from app.core.errors import ServiceUnavailable
from app.core.examples import add_examples
from app.core.handlers import install_handlers
from app.core.idempotency import IdempotencyMiddleware
from app.core.keystore import get_keystore
from app.core.logs import configure_logging, write_access_line
from app.core.metrics import record_request, refresh, render
from app.core.middleware import (
    BodyLimitMiddleware,
    CrashBarrierMiddleware,
    ObserveMiddleware,
    SecurityHeadersMiddleware,
)
from app.core.openapi import Problem, document_errors, problems, simplify_query_parameters
from app.docs_ui import install_docs

DESCRIPTION = """
Mentorat pairs leaders of Québec's social-economy enterprises with volunteer mentors.

* Log in with **Authorize** (email and password) or `POST /api/v1/auth/token`.
* Errors are RFC 9457 problems (`application/problem+json`), in French by default,
  in English with `Accept-Language: en`.
* Lists are cursor-paginated: follow `next_cursor`.
"""


# The tags of the document, in the order Swagger UI and ReDoc show them, each described.
TAGS: list[dict[str, str]] = [
    {
        "name": "auth",
        "description": "Logging in (password, client credentials), refresh, "
        "logout, invitations and password resets.",
    },
    {
        "name": "users",
        "description": "Accounts: the caller's own, and staff managing accounts "
        "of their hub; calendar feeds.",
    },
    {
        "name": "hubs",
        "description": "Regional hubs, their settings and their API clients (partner systems).",
    },
    {"name": "mentors", "description": "Volunteer mentors' profiles, consent and data export."},
    {
        "name": "mentees",
        "description": "Social-economy leaders' profiles, consent and data export.",
    },
    {
        "name": "matches",
        "description": "Pairings of a mentee and a mentor: proposal, "
        "acceptance, activation, closing, history, health and suggestions.",
    },
    {
        "name": "matching-runs",
        "description": "Cohort matching runs: proposals for many "
        "mentees at once, then applied in one pass.",
    },
    {
        "name": "sessions",
        "description": "Monthly meetings of a pair: scheduling, holding, "
        "notes and feedback (content stays between the pair).",
    },
    {"name": "calendar", "description": "iCalendar feeds of a person's sessions, by secret token."},
    {"name": "evaluations", "description": "End-of-year evaluations by both sides of a match."},
    {
        "name": "testimonials",
        "description": "Testimonials their authors agreed to publish, and their approval.",
    },
    {"name": "notifications", "description": "Emails sent to the caller, and their preferences."},
    {
        "name": "webhooks",
        "description": "Partner hubs' webhook subscriptions and their "
        "delivery log (signed events).",
    },
    {
        "name": "reports",
        "description": "Program reports for hubs and funders: summary and "
        "monthly series, small cells suppressed.",
    },
    {"name": "audit", "description": "Who did what, for admins and coordinators."},
    {
        "name": "reference",
        "description": "Every code list with French and English labels (no login).",
    },
    {"name": "health", "description": "Liveness and readiness probes."},
]


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # Everything loaded at start-up lives as long as the process: keep it out of the
    # garbage collector's scans, which otherwise cost a large share of each request.
    gc.collect()
    gc.freeze()
    await _finish_erasures()
    yield
    await get_engine().dispose()
    await get_keystore().dispose()


async def _finish_erasures() -> None:
    """Key destructions a crash left pending are carried out before serving."""
    from app.erasure.service import complete_pending_erasures

    try:
        await complete_pending_erasures()
    except Exception:
        # Serving goes on (erased content already reads as erased); the next start or
        # `mentorat retention` tries again.
        logging.getLogger(__name__).exception("pending key destructions not completed")


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in problem_schema.pop("$defs", {}).items():
        components[name] = definition
    components["Problem"] = problem_schema
    _declare_security(schema)
    document_errors(schema)
    simplify_query_parameters(schema)
    add_examples(schema)
    # Relative: Swagger UI and generated clients call the origin that serves this document.
    schema["servers"] = [{"url": "/", "description": "This server"}]
    app.openapi_schema = schema
    return schema


def _declare_security(schema: dict[str, Any]) -> None:
    """Each operation says how to call it: a bearer token, or nothing on public routes.

    FastAPI declares the OAuth2 password flow (Swagger UI's Authorize) on routes that need a
    caller; the same access token, a user's or an API client's, also goes as a plain bearer
    scheme, which client generators understand. Routes without a caller (login, password
    reset, published testimonials, calendar feeds by token, health) get `security: []`.
    """
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes["bearer"] = {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An access token from `POST /api/v1/auth/token` (users and API clients).",
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            security = operation.get("security")
            if not security:
                operation["security"] = []
            elif {"bearer": []} not in security:
                security.append({"bearer": []})


def create_app() -> FastAPI:
    """The Mentorat ASGI application."""
    settings = get_settings()
    wiring.load()
    configure_logging()
    app = FastAPI(
        title="Mentorat API",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=_lifespan,
        docs_url=None,
        redoc_url=None,
    )
    install_handlers(app)
    install_docs(app, {"persistAuthorization": True})
    include_api(app)

    @app.get("/healthz", tags=["health"], operation_id="health-live")
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], operation_id="health-ready", responses=problems(503))
    async def readyz() -> dict[str, str]:
        """The database answers."""
        try:
            async with get_engine().connect() as connection:
                await connection.execute(sa.text("SELECT 1"))
        except Exception:
            raise ServiceUnavailable() from None
        return {"status": "ok", "database": "ok"}

    @app.get("/metrics", tags=["health"], operation_id="health-metrics", include_in_schema=False)
    async def metrics() -> Response:
        """Prometheus metrics."""
        await refresh()
        body, content_type = render()
        return Response(body, media_type=content_type)

    app.add_middleware(ObserveMiddleware, observers=(record_request, write_access_line))
    app.add_middleware(IdempotencyMiddleware)
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
                "Accept-Language",
                "X-Request-ID",
            ],
            expose_headers=["ETag", "Location", "Retry-After", "X-Request-ID"],
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(CrashBarrierMiddleware)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app
