"""A profile list reads the database with one statement: on PostgreSQL, without a transaction.

The list route is marked `reads_one_statement`: its page and its total are one statement, which
is one snapshot, so the request spares BEGIN and COMMIT. These tests watch what the driver sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.core.db import get_engine
from tests.factories import login_as, make_hub
from tests.people.common import API, create


@contextmanager
def _sent() -> Iterator[list[str]]:
    """The first word of every statement sent while the block runs: SQLAlchemy's, and the
    driver's own simple queries (BEGIN and COMMIT of a transaction, which asyncpg logs)."""
    queries: list[str] = []
    engine = get_engine().sync_engine

    def log(record) -> None:  # type: ignore[no-untyped-def]
        queries.append(record.query.strip().split()[0].upper())

    def statement(_conn, _cursor, text, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        queries.append(text.strip().split()[0].upper())

    def watch(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.driver_connection.add_query_logger(log)

    def unwatch(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.driver_connection.remove_query_logger(log)

    event.listen(engine, "checkout", watch)
    event.listen(engine, "checkin", unwatch)
    event.listen(engine, "before_cursor_execute", statement)
    try:
        yield queries
    finally:
        event.remove(engine, "checkout", watch)
        event.remove(engine, "checkin", unwatch)
        event.remove(engine, "before_cursor_execute", statement)


@pytest.fixture
async def coordinator(client, is_postgres):  # type: ignore[no-untyped-def]
    if not is_postgres:
        pytest.skip("what the PostgreSQL driver sends")
    who = await login_as(client, "coordinator", await make_hub())
    for n in range(3):
        await create(client, "mentors", who.headers, last_name=f"Nom{n}")
    return who


@pytest.mark.parametrize("query", ["limit=2", "limit=2&include_total=true", "limit=50&q=nom"])
async def test_a_profile_list_is_the_callers_check_and_one_statement(client, coordinator, query):
    with _sent() as queries:
        r = await client.get(f"{API}/mentors?{query}", headers=coordinator.headers)
    assert r.status_code == 200, r.text
    # The caller's account and login, then the page: no BEGIN (and so no COMMIT).
    assert queries == ["SELECT", "SELECT"]
    if "include_total" in query:
        assert r.json()["total"] == 3


async def test_the_total_comes_with_an_empty_last_page(client, coordinator):
    first = await client.get(
        f"{API}/mentors?limit=3&include_total=true", headers=coordinator.headers
    )
    assert len(first.json()["items"]) == 3 and first.json()["next_cursor"] is None
    two = await client.get(f"{API}/mentors?limit=2", headers=coordinator.headers)
    cursor = two.json()["next_cursor"]
    last = await client.get(
        f"{API}/mentors",
        params={"limit": 1, "cursor": cursor, "include_total": "true"},
        headers=coordinator.headers,
    )
    assert last.json()["total"] == 3 and len(last.json()["items"]) == 1
    nobody = await client.get(
        f"{API}/mentors?include_total=true&q=personne", headers=coordinator.headers
    )
    assert nobody.json() == {"items": [], "next_cursor": None, "total": 0}


async def test_other_reads_still_see_one_snapshot_in_a_read_only_transaction(client, coordinator):
    with _sent() as queries:
        r = await client.get("/api/v1/matches?include_total=true", headers=coordinator.headers)
    assert r.status_code == 200
    # The transaction begins with the first statement (the caller's check), by the driver.
    assert queries[:2] == ["SELECT", "BEGIN"] and queries.count("SELECT") >= 2, queries
