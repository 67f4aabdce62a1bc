"""Scopes hold on every route: one table, no route forgotten, 403 without the scope."""

from __future__ import annotations

import re
import uuid

import httpx
from fastapi import FastAPI

from app.core import authz, scopes
from app.reference.catalog import API_SCOPES
from tests.factories import login_as, make_hub
from tests.helpers import assert_problem
from tests.sessions.common import api_client_headers

ALL_SCOPES = frozenset(scopes.SCOPES)


def _operations(app: FastAPI) -> dict[str, tuple[str, str]]:
    """operation id -> (method, path) of every route the app documents."""
    found: dict[str, tuple[str, str]] = {}
    for path, item in app.openapi()["paths"].items():
        for method, operation in item.items():
            found[operation["operationId"]] = (method.upper(), path)
    return found


def test_every_route_of_the_app_is_in_the_table(app):
    missing = set(_operations(app)) - set(scopes.ROUTES)
    assert missing == set(), f"routes missing from app/core/scopes.py: {sorted(missing)}"
    assert "health-metrics" in scopes.ROUTES  # served, though not in the OpenAPI document


def test_the_table_names_only_the_scopes_partners_can_be_given():
    assert set(scopes.SCOPES) == set(API_SCOPES)
    used = set().union(*(rule.any_of for rule in scopes.ROUTES.values()))
    assert used == set(scopes.SCOPES)


def test_the_services_scope_checks_agree_with_the_table():
    reads = {
        "mentor": "mentors-list",
        "mentee": "mentees-list",
        "match": "matches-list",
        "matching_run": "matching-runs-get",
        "suggestions": "mentees-suggestions",
        "session": "sessions-list",
        "webhook": "webhooks-list",
    }
    for resource, needed in authz.READ_SCOPES.items():
        if resource == "hub":
            assert scopes.ROUTES["hubs-get"] is scopes.ANY_API_CLIENT
            continue
        assert scopes.ROUTES[reads[resource]].any_of == frozenset(needed), resource
    writes = {
        "mentor": "mentors-create",
        "mentee": "mentees-create",
        "match": "matches-create",
        "matching_run": "matching-runs-create",
        "webhook": "webhooks-create",
    }
    for resource, scope in authz.WRITE_SCOPES.items():
        assert scopes.ROUTES[writes[resource]].any_of == {scope}, resource


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _m: str(uuid.uuid4()), path)


async def _call(client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return await client.request(method, _concrete(path), json=body, headers=headers)


async def test_each_scope_is_needed_on_its_routes_and_enough(client, app):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    operations = _operations(app)
    headers: dict[frozenset[str], dict[str, str]] = {}

    async def holding(granted: frozenset[str]) -> dict[str, str]:
        if granted not in headers:
            headers[granted] = await api_client_headers(
                client, coordinator, hub, tuple(sorted(granted))
            )
        return headers[granted]

    checked = 0
    for operation_id, rule in scopes.ROUTES.items():
        if rule.public or operation_id not in operations or not rule.api_clients:
            continue
        method, path = operations[operation_id]
        if rule.any_of:
            # Every other scope there is, but none that opens this route: 403.
            lacking = await holding(ALL_SCOPES - rule.any_of)
            body = assert_problem(await _call(client, method, path, lacking), 403, "forbidden")
            assert body["required_scopes"] == sorted(rule.any_of), operation_id
        for scope in rule.any_of or {"mentors:read"}:
            response = await _call(client, method, path, await holding(frozenset({scope})))
            assert response.status_code != 403, (operation_id, scope, response.text)
            assert response.status_code < 500, (operation_id, response.text)
        checked += 1
    assert checked >= 25


async def test_routes_closed_to_partners_are_403_even_with_every_scope(client, app):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    everything = await api_client_headers(client, coordinator, hub, tuple(sorted(ALL_SCOPES)))
    operations = _operations(app)
    closed = [op for op, rule in scopes.ROUTES.items() if rule is scopes.NO_API_CLIENTS]
    assert {"users-me", "audit-list", "evaluations-list", "mentors-export"} <= set(closed)
    for operation_id in closed:
        if operation_id in operations:
            method, path = operations[operation_id]
            response = await _call(client, method, path, everything)
            assert_problem(response, 403, "forbidden")


async def test_a_missing_scope_is_403_naming_it_in_english_too(client):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    reader = await api_client_headers(client, coordinator, hub, ("mentors:read",))
    response = await client.get("/api/v1/mentees", headers={**reader, "Accept-Language": "en"})
    body = assert_problem(response, 403, "forbidden")
    assert "mentees:read" in body["detail"] and body["required_scopes"] == [
        "mentees:read",
        "mentees:write",
    ]
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    # People are held by their role, not by scopes: the coordinator reads the same list.
    assert (await client.get("/api/v1/mentees", headers=coordinator.headers)).status_code == 200
