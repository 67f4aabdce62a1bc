"""Lists cost a fixed number of SQL statements, whatever the page size, and agree with reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from app.core.db import get_engine
from tests.factories import login_as, make_hub
from tests.people.common import API, BODIES

PAGE = 50


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """Every statement sent to the database while the block runs."""
    statements: list[str] = []
    engine = get_engine().sync_engine

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def _fill(client: httpx.AsyncClient, headers: dict[str, str], plural: str) -> list[str]:
    ids = []
    for n in range(PAGE + 1):
        body = BODIES[plural](last_name=f"Tremblay {n}")
        response = await client.post(f"{API}/{plural}", json=body, headers=headers)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    # One profile with consent, so that pages carry a consent object too.
    consent = await client.post(
        f"{API}/{plural}/{ids[0]}/consent", json={"version": "2026-01"}, headers=headers
    )
    assert consent.status_code == 200, consent.text
    return ids


async def _statements_for(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, params: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    with counting_statements() as statements:
        response = await client.get(url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return len(statements), response.json()


@pytest.fixture
async def staff(client: httpx.AsyncClient) -> dict[str, str]:
    """A coordinator's headers, in a hub with 51 mentors and 51 mentees."""
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    for plural in BODIES:
        await _fill(client, coordinator.headers, plural)
    return coordinator.headers


async def test_statements_per_list_request_do_not_grow_with_the_page(
    client: httpx.AsyncClient, staff: dict[str, str]
) -> None:
    counts: dict[tuple[str, int], int] = {}
    for plural in BODIES:
        for limit in (1, PAGE):
            count, body = await _statements_for(client, staff, f"{API}/{plural}", {"limit": limit})
            assert len(body["items"]) == limit
            counts[(plural, limit)] = count
    assert len(set(counts.values())) == 1, counts
    # The caller, the page: nothing per item (BEGIN and COMMIT aside).
    assert counts[("mentors", PAGE)] <= 4, counts


async def test_filters_cursor_and_search_add_no_statement(
    client: httpx.AsyncClient, staff: dict[str, str], is_postgres: bool
) -> None:
    url = f"{API}/mentors"
    plain, first = await _statements_for(client, staff, url, {"limit": 2})
    cursor = first["next_cursor"]
    assert cursor
    variants = [
        {"limit": 2, "cursor": cursor},
        {"limit": PAGE, "theme": "governance", "region": "06", "language": "fr"},
        {"limit": PAGE, "q": "tremblay", "sector": "housing", "legal_form": "solidarity_coop"},
        {"limit": PAGE, "sort": "-last_name", "status": "candidate"},
    ]
    for params in variants:
        count, body = await _statements_for(client, staff, url, params)
        assert body["items"], params
        assert count == plain, (params, count, plain)
    # Asking for the total costs exactly one count query; on PostgreSQL none, the count being
    # part of the page's one statement (tests/people/test_list_statements.py).
    with_total, body = await _statements_for(client, staff, url, {"include_total": "true"})
    assert body["total"] == PAGE + 1
    assert with_total == plain + (0 if is_postgres else 1)


async def test_list_items_are_the_profiles_a_read_returns(
    client: httpx.AsyncClient, staff: dict[str, str]
) -> None:
    for plural in BODIES:
        listed = (await client.get(f"{API}/{plural}", params={"limit": 3}, headers=staff)).json()
        assert "total" not in listed
        assert listed["items"][0]["consent"] is not None
        for item in listed["items"]:
            read = await client.get(f"{API}/{plural}/{item['id']}", headers=staff)
            assert read.json() == item
            assert list(read.json()) == list(item), "same fields, in the same order"
