"""The `Allow` header of a 405: every method some route accepts on the requested path."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import TypeAdapter, ValidationError
from starlette.routing import BaseRoute, Match, compile_path
from starlette.types import Scope

# The methods HTTP defines for resources (RFC 9110, section 9), in the order people read them.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(routes: Iterable[BaseRoute], scope: Scope) -> list[str]:
    """The methods of every route that serves the request's path (RFC 9110, 10.2.1).

    The router answers 405 with the methods of the first route whose path matched, and FastAPI
    registers one route per operation: the other operations were left out. Every operation of
    the app (the same walk as the OpenAPI generator's) is asked instead, and it serves the path
    only if the path matches its template *and* each path parameter is of its declared type:
    `/testimonials/pending` matches `DELETE /testimonials/{evaluation_id}` as text, but
    `pending` is no evaluation id.
    """
    path = scope["path"]
    allowed: set[str] = set()
    for context in iter_route_contexts(list(routes)):
        template, methods = context.path, context.methods
        if template is None or methods is None:
            # Mounts (static files) answer for a whole subtree: ask them with each method.
            allowed.update(m for m in METHODS if _mount_serves(context.original_route, scope, m))
            continue
        regex, convertors = _compiled(template)
        found = regex.match(path)
        if found is None:
            continue
        values = {name: convertors[name].convert(text) for name, text in found.groupdict().items()}
        if _typed(context.original_route, values):
            allowed.update(methods)
    return [method for method in METHODS if method in allowed]


def _mount_serves(route: BaseRoute, scope: Scope, method: str) -> bool:
    # A bare scope keeps the probe from reading or disturbing the request's own scope.
    probe: Scope = {
        "type": "http",
        "method": method,
        "path": scope["path"],
        "root_path": scope.get("root_path", ""),
        "headers": [],
        "query_string": b"",
    }
    return route.matches(probe)[0] is Match.FULL


@cache
def _compiled(template: str) -> tuple[Any, dict[str, Any]]:
    regex, _, convertors = compile_path(template)
    return regex, convertors


@cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:  # annotations are hashable types
    return TypeAdapter(annotation)


def _path_params(route: APIRoute) -> list[Any]:
    # A load-or-404 dependency (core.lookup) declares the route's id: its parameters count too.
    fields: list[Any] = []
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        fields.extend(dependant.path_params)
        pending.extend(dependant.dependencies)
    return fields


def _typed(route: BaseRoute, values: dict[str, Any]) -> bool:
    if not isinstance(route, APIRoute):
        return True
    for field in _path_params(route):
        try:
            annotation: Any = field.field_info.annotation
            _adapter(annotation).validate_python(values.get(field.alias))
        except ValidationError:
            return False
    return True
