"""The problem schema and the error responses each route documents."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from app.core.errors import PROBLEM_JSON


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
    503: "Database unreachable",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status as an application/problem+json Problem."""
    return {
        status: {
            "description": _DESCRIPTIONS.get(status, "Error"),
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
