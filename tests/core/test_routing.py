"""Every API route sits behind the one guard, once (app.api.include_api)."""

from __future__ import annotations

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from app.core.guard import guard_route


def _calls(dependant: Dependant) -> list[object]:
    found: list[object] = [dependant.call]
    for sub in dependant.dependencies:
        found += _calls(sub)
    return found


def test_every_api_route_runs_the_guard_exactly_once(app):
    routes = [
        (c.path_format, c.dependant)
        for c in iter_route_contexts(app.routes)
        if isinstance(c.original_route, APIRoute) and c.path_format.startswith("/api/v1/")
    ]
    assert len(routes) >= 80
    for path, dependant in routes:
        # Twice would count each request twice against the rate limits.
        assert _calls(dependant).count(guard_route) == 1, path


def test_routes_outside_the_api_are_not_guarded(app):
    health = [
        c
        for c in iter_route_contexts(app.routes)
        if isinstance(c.original_route, APIRoute) and c.path_format == "/healthz"
    ]
    assert len(health) == 1
    assert guard_route not in _calls(health[0].dependant)
