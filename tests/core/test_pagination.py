"""Cursor pagination: limits, walking next_cursor, tampered cursors, totals, sorting."""

from __future__ import annotations

import base64
import json

import pytest

from tests.factories import login_as, make_hub, make_user
from tests.helpers import assert_names_field, assert_problem

USERS = "/api/v1/users"


async def _walk(client, headers, url, **params):  # type: ignore[no-untyped-def]
    """Every item of a list, page by page; also the pages' sizes."""
    seen: list[dict[str, object]] = []
    sizes: list[int] = []
    cursor = None
    for _ in range(100):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(url, params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        seen.extend(body["items"])
        sizes.append(len(body["items"]))
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, sizes
    raise AssertionError("next_cursor never ended")


@pytest.mark.parametrize("limit", [0, -1, 201, "many"])
async def test_a_limit_outside_1_to_200_is_422(client, limit):
    admin = await login_as(client, "admin")
    response = await client.get(USERS, params={"limit": limit}, headers=admin.headers)
    assert_names_field(response, "limit")


async def test_limits_1_and_200_are_fine(client):
    admin = await login_as(client, "admin")
    for limit in (1, 200):
        response = await client.get(USERS, params={"limit": limit}, headers=admin.headers)
        assert response.status_code == 200


async def test_the_default_limit_is_50(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    for _ in range(51):
        await make_user("mentee", hub)
    response = await client.get(USERS, headers=admin.headers)
    body = response.json()
    assert len(body["items"]) == 50
    assert body["next_cursor"]
    rest = await client.get(USERS, params={"cursor": body["next_cursor"]}, headers=admin.headers)
    assert len(rest.json()["items"]) == 2
    assert rest.json()["next_cursor"] is None


@pytest.mark.parametrize(
    "sort", [None, "created_at", "-created_at", "email", "-email", "full_name", "-full_name"]
)
async def test_walking_next_cursor_visits_every_item_once(client, sort):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    # Equal full names: the order must still be total (ties broken by id).
    created = [await make_user("mentor", hub) for _ in range(10)]
    params = {"limit": 3, **({"sort": sort} if sort else {})}
    items, sizes = await _walk(client, admin.headers, USERS, **params)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == 11
    assert set(ids) == {str(u.id) for u in created} | {str(admin.user.id)}
    assert sizes == [3, 3, 3, 2]
    if sort and sort.lstrip("-") == "email":
        emails = [item["email"] for item in items]
        assert emails == sorted(emails, reverse=sort.startswith("-"))


async def test_an_exact_multiple_of_the_limit_ends_with_a_null_cursor(client):
    admin = await login_as(client, "admin")
    for _ in range(3):
        await make_user("admin")
    items, sizes = await _walk(client, admin.headers, USERS, limit=2)
    assert len(items) == 4
    assert sizes == [2, 2]


async def test_hubs_paginate_by_name_too(client):
    admin = await login_as(client, "admin")
    for name in ("Estrie", "Abitibi", "Montréal", "Laval", "Abitibi"):
        await make_hub(name=name)
    items, _ = await _walk(client, admin.headers, "/api/v1/hubs", limit=2)
    assert [h["name"] for h in items] == sorted(h["name"] for h in items)
    assert len({h["id"] for h in items}) == 5


def _encode(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _tamper(cursor: str) -> list[str]:
    body, _, signature = cursor.partition(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload[3] = "00" * 16  # another row, same signature
    return [
        cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB"),
        f"{_encode(payload)}.{signature}",
        body,
        f"{body}.",
        "not a cursor at all",
        _encode(["password_hash", False, ["v", "x"], "00" * 16]),
        _encode({"offset": 0}),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ]


async def test_a_tampered_cursor_is_422(client):
    admin = await login_as(client, "admin")
    for _ in range(3):
        await make_user("admin")
    first = await client.get(USERS, params={"limit": 2}, headers=admin.headers)
    cursor = first.json()["next_cursor"]
    for bad in _tamper(cursor):
        response = await client.get(
            USERS, params={"limit": 2, "cursor": bad}, headers=admin.headers
        )
        assert_names_field(response, "cursor")


async def test_a_cursor_made_for_another_sort_is_422(client):
    admin = await login_as(client, "admin")
    for _ in range(3):
        await make_user("admin")
    first = await client.get(USERS, params={"limit": 2, "sort": "email"}, headers=admin.headers)
    cursor = first.json()["next_cursor"]
    response = await client.get(
        USERS, params={"limit": 2, "sort": "-email", "cursor": cursor}, headers=admin.headers
    )
    assert_names_field(response, "cursor")


async def test_an_unknown_sort_field_is_422(client):
    admin = await login_as(client, "admin")
    response = await client.get(USERS, params={"sort": "password_hash"}, headers=admin.headers)
    body = assert_names_field(response, "sort")
    assert "email" in body["errors"][0]["msg"]


async def test_include_total_adds_total_and_only_then(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    for _ in range(4):
        await make_user("mentee", hub)
    plain = await client.get(USERS, params={"limit": 2}, headers=admin.headers)
    assert "total" not in plain.json()
    counted = await client.get(
        USERS, params={"limit": 2, "include_total": "true"}, headers=admin.headers
    )
    assert counted.json()["total"] == 5
    assert len(counted.json()["items"]) == 2
    filtered = await client.get(
        USERS, params={"role": "mentee", "include_total": "true"}, headers=admin.headers
    )
    assert filtered.json()["total"] == 4


async def test_an_empty_list_has_no_cursor(client):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    response = await client.get(
        USERS, params={"role": "mentor", "include_total": "true"}, headers=coordinator.headers
    )
    assert response.json() == {"items": [], "next_cursor": None, "total": 0}


async def test_a_problem_on_a_bad_include_total(client):
    admin = await login_as(client, "admin")
    response = await client.get(USERS, params={"include_total": "maybe"}, headers=admin.headers)
    assert_problem(response, 422, "validation-error")


@pytest.mark.parametrize(
    ("sort", "value"),
    [
        ("created_at", ["v", "yesterday"]),
        ("created_at", ["v", 12]),
        ("created_at", ["u", "00" * 16]),
        ("created_at", ["d", "2026-01-01"]),
        ("email", ["dt", "2026-01-01T00:00:00+00:00"]),
        ("email", ["v", 3]),
        ("email", ["v", True]),
        ("email", ["n", None]),
        ("created_at", ["dt", "not a date"]),
        ("created_at", ["x", 1]),
    ],
)
async def test_a_cursor_with_a_forged_value_is_422_not_500(client, sort, value):
    admin = await login_as(client, "admin")
    forged = _encode([sort, False, value, "00" * 16])
    response = await client.get(
        USERS, params={"sort": sort, "cursor": forged}, headers=admin.headers
    )
    assert_names_field(response, "cursor")
