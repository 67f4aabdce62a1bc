"""A body that is not valid UTF-8 is the 422 of a malformed body, on every route that takes one."""

from __future__ import annotations

import re
import uuid

from fastapi import params
from fastapi.routing import iter_route_contexts

from tests.factories import login_as
from tests.helpers import EN, assert_problem

INVALID = b'{"name": "\xff\xfe caf\xe9"}'


def _body_routes(app) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    """(method, path, is_form) of every route that reads a body."""
    found = []
    for route in iter_route_contexts(app.routes):
        body_field = getattr(route, "body_field", None)
        if body_field is None or not route.path:
            continue
        is_form = isinstance(body_field.field_info, params.Form)
        for method in sorted(route.methods or ()):
            found.append((method, route.path, is_form))
    return found


async def test_every_json_route_answers_422_json_invalid(client, app):
    admin = await login_as(client, "admin")
    routes = _body_routes(app)
    assert len([r for r in routes if not r[2]]) > 20
    for method, path, is_form in routes:
        url = re.sub(r"{[^}]+}", lambda _m: str(uuid.uuid4()), path)
        response = await client.request(
            method,
            url,
            content=INVALID,
            headers={**admin.headers, "Content-Type": "application/json"},
        )
        body = assert_problem(response, 422, "validation-error")
        if not is_form:
            assert body["errors"] == [
                {"loc": ["body"], "msg": "JSON invalide", "type": "json_invalid"}
            ], (method, path, body)


async def test_the_invalid_utf8_answer_is_the_malformed_json_answer(client):
    admin = await login_as(client, "admin")
    headers = {**admin.headers, **EN, "Content-Type": "application/json"}
    not_utf8 = await client.post("/api/v1/hubs", content=INVALID, headers=headers)
    not_json = await client.post("/api/v1/hubs", content=b'{"slug": ', headers=headers)
    first, second = assert_problem(not_utf8, 422), assert_problem(not_json, 422)
    assert first["type"] == second["type"] == "validation-error"
    assert first["errors"][0]["type"] == second["errors"][0]["type"] == "json_invalid"
    assert first["errors"][0]["msg"] == "JSON decode error"
    listed = await client.get("/api/v1/hubs", headers=admin.headers)
    assert listed.json()["items"] == []
