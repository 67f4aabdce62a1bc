"""A list page of profiles as JSON, built from the rows in one pass."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import orjson
from pydantic import BaseModel

from app.core.actor import Actor
from app.core.pagination import PageResult
from app.people.kinds import ProfileKind
from app.people.service import is_peer_view


@cache
def _fields(schema: type[BaseModel]) -> tuple[str, ...]:
    return tuple(schema.model_fields)


def _consent(row: dict[str, Any]) -> dict[str, Any] | None:
    version, given_at = row["consent_version"], row["consent_given_at"]
    return {"version": version, "given_at": given_at} if version and given_at else None


def page_json(
    actor: Actor, kind: ProfileKind, result: PageResult[dict[str, Any]] | PageResult[str]
) -> bytes:
    """The page in the shape `service.present` gives each profile, serialised once.

    The rows were validated when written; validating them again into models and dumping those
    cost more than the query. Only the view's fields are copied, so the peer view never carries
    consent or staff-only fields.
    """
    tail = b'],"next_cursor":' + orjson.dumps(result.next_cursor)
    if result.total is not None:
        tail += b',"total":' + orjson.dumps(result.total)
    if result.items and isinstance(result.items[0], str):
        # The database already wrote each profile's JSON in the view's shape.
        documents: Sequence[str] = result.items
        return b'{"items":[' + ",".join(documents).encode() + tail + b"}"
    fields = _fields(kind.peer_schema if is_peer_view(actor, kind) else kind.read_schema)
    rows: Sequence[dict[str, Any]] = result.items  # type: ignore[assignment]
    items = [
        {name: _consent(row) if name == "consent" else row[name] for name in fields} for row in rows
    ]
    page: dict[str, Any] = {"items": items, "next_cursor": result.next_cursor}
    if result.total is not None:
        page["total"] = result.total
    # orjson writes UUIDs, dates and UTC times (with Z) as the schemas do, several times faster.
    return orjson.dumps(page, default=str, option=orjson.OPT_UTC_Z)
