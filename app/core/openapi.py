"""The problem schema and the error responses each route documents."""

from __future__ import annotations

import json
from typing import Any

from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from app.core.errors import PROBLEM_JSON
from app.core.idempotency import idempotent_post


class ProblemFieldError(BaseModel):
    """One invalid field."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details; `title` and `detail` follow Accept-Language."""

    type: str = Field(examples=["validation-error"])
    title: str
    status: int
    detail: str
    errors: list[ProblemFieldError] | None = None


_DESCRIPTIONS = {
    400: "Bad request",
    401: "Missing, invalid, expired or revoked credentials",
    403: "The caller's role may not do this",
    404: "Absent or outside the caller's reach",
    409: "Conflicts with the current state (problem type names the rule)",
    412: "If-Match names a stale version",
    413: "Body over 1 MiB",
    422: "Invalid, unknown or forbidden field (problem `errors` names it)",
    429: "Too many attempts (see Retry-After)",
    503: "The database or the key store is unreachable; try again later",
}


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status as an application/problem+json Problem."""
    return {
        status: {
            "description": _DESCRIPTIONS.get(status, "Error"),
            "content": {PROBLEM_JSON: {"schema": dict(_PROBLEM_REF)}},
        }
        for status in statuses
    }


def list_query_extra(route: APIRoute) -> dict[str, Any] | None:
    """The route's `openapi_extra`, with its list query model (`pagination.query_of`) as query
    parameters, written as FastAPI writes its own: the field's schema, its description also on
    the parameter, none required. (A route built again from another keeps what it has.)"""
    extra = route.openapi_extra
    for dependency in route.dependant.dependencies:
        model = getattr(dependency.call, "query_model", None)
        if model is None:
            continue
        extra = dict(extra or {})
        present = {parameter["name"] for parameter in extra.get("parameters", [])}
        added = [p for p in _query_parameters(model) if p["name"] not in present]
        extra["parameters"] = [*extra.get("parameters", []), *added]
    return extra


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    document = model.model_json_schema()
    definitions = document.get("$defs", {})
    parameters = []
    for name, definition in document["properties"].items():
        reference = definition.get("$ref", "")
        if reference.startswith("#/$defs/"):
            rest = {k: v for k, v in definition.items() if k != "$ref"}
            definition = {**definitions[reference.removeprefix("#/$defs/")], **rest}
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": False,
            "schema": definition,
        }
        if "description" in definition:
            parameter["description"] = definition["description"]
        parameters.append(parameter)
    return parameters


def simplify_query_parameters(schema: dict[str, Any]) -> None:
    """An optional query parameter is absent or a value, never `null` on the wire.

    pydantic writes `str | None` as `anyOf: [{type: string}, {type: null}]`; a generator then
    types `sort` as `string | null` and loses its enum. The null branch goes, the other one
    carries the parameter's constraints.
    """
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                definition = parameter.get("schema", {})
                branches = definition.get("anyOf", [])
                kept = [b for b in branches if b != {"type": "null"}]
                if parameter.get("in") != "query" or len(kept) == len(branches):
                    continue
                rest = {k: v for k, v in definition.items() if k != "anyOf"}
                parameter["schema"] = (
                    {**kept[0], **rest} if len(kept) == 1 else {"anyOf": kept, **rest}
                )


def _checked(parameter: dict[str, Any]) -> bool:
    """Whether a parameter's value can be refused: a query parameter, or a path parameter with
    a type or a constraint (a plain text path segment, such as a calendar token, cannot)."""
    definition = parameter.get("schema", {})
    plain = definition.get("type") == "string" and not (
        set(definition) & {"format", "pattern", "enum", "maxLength", "minLength"}
    )
    return parameter.get("in") != "path" or not plain


def document_errors(schema: dict[str, Any]) -> None:
    """Every operation of the API lists the problems the whole stack can answer, not only its own.

    A route declares the problems of its rules (`problems(409, 412)`); what comes from the layers
    every request crosses is added here from the operation's shape, so that a client generator and
    Schemathesis see every status: `401`/`403` where a caller is needed (the scope guard refuses API
    clients with `403`), `404` for a path id, `422` for any parameter or body (FastAPI's own
    validation answers are problems too), `413` for a body over the limit, `429` (rate limits) and
    `503` (the database or the key store unreachable) everywhere under /api/v1.
    """
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            statuses = {429, 503}
            if idempotent_post(path, method):
                statuses.add(409)  # idempotency-key-in-use: the same key still running
            if operation.get("security"):
                statuses |= {401, 403}
            parameters = operation.get("parameters", [])
            if any(p.get("in") == "path" for p in parameters):
                statuses.add(404)
            if "requestBody" in operation or any(_checked(p) for p in parameters):
                statuses.add(422)
            if "requestBody" in operation:
                statuses.add(413)
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                responses.setdefault(str(status), {"description": _DESCRIPTIONS[status]})
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    response["content"] = {PROBLEM_JSON: {"schema": _PROBLEM_REF}}
                    if response.get("description") == "Validation Error":
                        response["description"] = _DESCRIPTIONS[422]
            operation["responses"] = dict(sorted(responses.items()))
    components = schema.get("components", {}).get("schemas", {})
    text = json.dumps(schema.get("paths", {}))
    for name in ("HTTPValidationError", "ValidationError"):
        if f'"#/components/schemas/{name}"' not in text:
            components.pop(name, None)
