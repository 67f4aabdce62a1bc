"""The `Allow` header of a 405: every method some route accepts on the requested path."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.routing import BaseRoute, Match
from starlette.types import Scope

# The methods HTTP defines for resources (RFC 9110, section 9), in the order people read them.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(routes: Iterable[BaseRoute], scope: Scope) -> list[str]:
    """The methods for which some route fully matches the request's path (RFC 9110, 10.2.1)."""
    # The router answers 405 with the methods of the first route whose path matched, and
    # FastAPI registers one route per operation: the other operations were left out. Asking
    # every route (included routers answer for their whole tree) with each method finds them
    # all, through Starlette's public matching API only. A bare scope keeps the probe from
    # reading or disturbing what routing stored in the request's own scope.
    routes = list(routes)
    allowed = []
    for method in METHODS:
        probe: Scope = {
            "type": "http",
            "method": method,
            "path": scope["path"],
            "root_path": scope.get("root_path", ""),
            "headers": [],
            "query_string": b"",
        }
        if any(route.matches(probe)[0] is Match.FULL for route in routes):
            allowed.append(method)
    return allowed
