"""Mounts every domain router under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from app.api_clients.router import router as api_clients_router
from app.audit.router import router as audit_router
from app.core.guard import guard_route
from app.evaluations.router import router as evaluations_router
from app.hubs.router import router as hubs_router
from app.matches.router import router as matches_router
from app.matches.runs_router import router as runs_router
from app.mentees.router import router as mentees_router
from app.mentors.router import router as mentors_router
from app.notifications.router import router as notifications_router
from app.privacy.router import router as privacy_router
from app.reference.router import router as reference_router
from app.reports.router import router as reports_router
from app.sessions.router import router as sessions_router
from app.users.auth_router import router as auth_router
from app.users.router import router as users_router
from app.webhooks.router import router as webhooks_router

_PREFIX = "/api/v1"
# Paths of different routers never overlap; the busiest lists come first because routes
# are matched in order.
_DOMAIN_ROUTERS: tuple[APIRouter, ...] = (
    mentors_router,
    mentees_router,
    matches_router,
    sessions_router,
    runs_router,
    users_router,
    auth_router,
    hubs_router,
    api_clients_router,
    reference_router,
    evaluations_router,
    audit_router,
    notifications_router,
    privacy_router,
    reports_router,
    webhooks_router,
)


def include_api(app: FastAPI) -> None:
    """Every domain router under /api/v1, each behind the one guard (rate limits, then the
    scope table of app.core.scopes).

    Each is included into the app itself rather than into one /api/v1 router included in
    turn: FastAPI matches a request against an included router's routes once to learn
    whether it matches and again to find the route, at every level of nesting, so one level
    fewer halves the routing work of every request (docs/performance.md).
    """
    guard = [Depends(guard_route)]
    for domain_router in _DOMAIN_ROUTERS:
        app.include_router(domain_router, prefix=_PREFIX, dependencies=guard)
