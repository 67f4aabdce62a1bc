"""No one is identifiable from a report; each caller reports on their own hub only."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
import pytest

from app.core import clock
from app.reports.suppression import suppress
from tests.factories import bearer, login_as, make_hub
from tests.helpers import assert_problem, new_api_client
from tests.reports.program import NOW, PERIOD, at, build, match, mentee, mentor, save, session

API = "/api/v1/reports"


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def by_name(section: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """name -> figure of one hub's section."""
    return {f["name"]: f for f in section["figures"]}


async def test_small_cells_and_their_complement_are_withheld(client: httpx.AsyncClient) -> None:
    hub = await make_hub()
    rows = [mentee(hub, "active", at("2026-02-01")) for _ in range(7)]
    rows += [mentee(hub, "waiting", at("2026-02-01")) for _ in range(6)]
    rows += [mentee(hub, "withdrawn", at("2026-02-01")) for _ in range(2)]
    await save(rows)
    coord = await login_as(client, "coordinator", hub)
    r = await client.get(f"{API}/summary", params=PERIOD, headers=coord.headers)
    figures = by_name(r.json()["hubs"][0])
    assert figures["applications_received"] == {
        "name": "applications_received",
        "value": 15,
        "suppressed": False,
    }
    assert figures["mentees_withdrawn"] == {
        "name": "mentees_withdrawn",
        "value": None,
        "suppressed": True,
    }
    # Withheld alone, 15 - 7 - 6 would give it back: the smallest other cell goes too.
    assert figures["mentees_waiting"]["suppressed"] is True
    assert figures["mentees_waiting"]["value"] is None
    assert figures["mentees_active"]["value"] == 7
    shown = sum(
        f["value"] for n, f in figures.items() if n.startswith("mentees_") and not f["suppressed"]
    )
    assert 15 - shown == 8  # what the withheld cells add up to, not either one of them


async def test_a_figure_over_fewer_than_five_people_is_withheld(
    client: httpx.AsyncClient,
) -> None:
    hub = await make_hub()
    await save([mentee(hub, "applicant", at("2026-02-01")) for _ in range(3)])
    coord = await login_as(client, "coordinator", hub)
    r = await client.get(f"{API}/summary", params=PERIOD, headers=coord.headers)
    figures = by_name(r.json()["hubs"][0])
    assert figures["applications_received"]["suppressed"] is True
    assert figures["mentees_applicant"]["suppressed"] is True
    assert figures["applications_received"]["value"] is None
    # Zero describes no one and is shown.
    assert figures["mentees_waiting"] == {
        "name": "mentees_waiting",
        "value": 0,
        "suppressed": False,
    }


async def test_a_rate_follows_its_terms(client: httpx.AsyncClient) -> None:
    hub = await make_hub()
    await build(hub)
    coord = await login_as(client, "coordinator", hub)
    # March: the five early ends and no completion.
    r = await client.get(
        f"{API}/summary", params={"from": "2026-03-01", "to": "2026-03-31"}, headers=coord.headers
    )
    figures = by_name(r.json()["hubs"][0])
    assert figures["matches_ended_early"]["value"] == 5
    assert figures["matches_completed"]["value"] == 0
    assert figures["completion_rate"]["value"] == 0.0


def test_a_rate_is_withheld_with_a_withheld_term() -> None:
    # 3 completions out of 12 closings: the rate would give the 3 back.
    hidden = suppress(
        {"completed": 3, "ended": 9, "rate": 12},
        {"completed": 3, "ended": 9, "rate": 0.25},
        depends={"rate": ("completed", "ended")},
    )
    assert hidden == {"completed", "rate"}


async def test_a_withheld_month_takes_a_second_one_with_it(client: httpx.AsyncClient) -> None:
    hub = await make_hub()
    rows = [mentee(hub, "waiting", at("2026-01-15")) for _ in range(7)]
    rows += [mentee(hub, "waiting", at("2026-02-15")) for _ in range(6)]
    rows += [mentee(hub, "waiting", at("2026-03-15")) for _ in range(2)]
    await save(rows)
    coord = await login_as(client, "coordinator", hub)
    r = await client.get(
        f"{API}/timeseries",
        params={"metric": "applications_received", "from": "2026-01-01", "to": "2026-04-30"},
        headers=coord.headers,
    )
    points = {p["period"]: (p["value"], p["suppressed"]) for p in r.json()["series"][0]["points"]}
    # The summary shows 15 for the period: March alone withheld would be 15 - 7 - 6.
    assert points == {
        "2026-01": (7, False),
        "2026-02": (None, True),
        "2026-03": (None, True),
        "2026-04": (0, False),
    }


def test_suppression_never_leaves_one_cell_derivable() -> None:
    people = {"total": 20, "a": 1, "b": 0, "c": 0, "d": 19}
    values = {k: float(v) for k, v in people.items()}
    hidden = suppress(people, values, groups=[("total", ("a", "b", "c", "d"))])
    # d is the only non-zero complement: hiding it leaves a + d known, neither alone.
    assert hidden == {"a", "d"}


async def test_who_may_read_which_hub(client: httpx.AsyncClient) -> None:
    nord, sud = await make_hub("nord"), await make_hub("sud")
    admin = await login_as(client, "admin")
    coord = await login_as(client, "coordinator", nord)

    r = await client.get(f"{API}/summary", headers=admin.headers)
    assert [h["hub_slug"] for h in r.json()["hubs"]] == ["nord", "sud"]
    r = await client.get(f"{API}/summary", params={"hub_id": str(sud.id)}, headers=admin.headers)
    assert [h["hub_slug"] for h in r.json()["hubs"]] == ["sud"]
    r = await client.get(
        f"{API}/summary", params={"hub_id": str(uuid.uuid4())}, headers=admin.headers
    )
    assert_problem(r, 404, "not-found")

    r = await client.get(f"{API}/summary", headers=coord.headers)
    assert [h["hub_slug"] for h in r.json()["hubs"]] == ["nord"]
    for path, extra in (("summary", {}), ("timeseries", {"metric": "sessions_held"})):
        r = await client.get(
            f"{API}/{path}", params={"hub_id": str(sud.id), **extra}, headers=coord.headers
        )
        assert_problem(r, 404, "not-found")

    mentor = await login_as(client, "mentor", nord)
    assert_problem(await client.get(f"{API}/summary", headers=mentor.headers), 403, "forbidden")
    assert_problem(await client.get(f"{API}/summary"), 401)


async def client_login(
    client: httpx.AsyncClient, staff: dict[str, str], hub_id: object, scopes: tuple[str, ...]
) -> dict[str, str]:
    """An API client of the hub with these scopes, logged in."""
    created = await new_api_client(client, staff, hub_id, scopes)
    r = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created["client_id"],
            "client_secret": created["client_secret"],
        },
    )
    return bearer(r.json()["access_token"])


async def test_api_clients_need_the_reports_scope(client: httpx.AsyncClient) -> None:
    nord, sud = await make_hub("nord"), await make_hub("sud")
    admin = await login_as(client, "admin")
    reader = await client_login(client, admin.headers, nord.id, ("reports:read",))
    other = await client_login(client, admin.headers, nord.id, ("mentors:read",))

    r = await client.get(f"{API}/summary", headers=reader)
    assert r.status_code == 200, r.text
    assert [h["hub_slug"] for h in r.json()["hubs"]] == ["nord"]
    r = await client.get(f"{API}/timeseries", params={"metric": "sessions_held"}, headers=reader)
    assert [s["hub_slug"] for s in r.json()["series"]] == ["nord"]
    r = await client.get(f"{API}/summary", params={"hub_id": str(sud.id)}, headers=reader)
    assert_problem(r, 404, "not-found")
    assert_problem(await client.get(f"{API}/summary", headers=other), 403, "forbidden")


async def test_no_name_or_email_in_a_report(client: httpx.AsyncClient) -> None:
    hub = await make_hub()
    await build(hub)
    admin = await login_as(client, "admin")
    for accept in ("application/json", "text/csv"):
        r = await client.get(
            f"{API}/summary", params=PERIOD, headers={**admin.headers, "Accept": accept}
        )
        assert r.status_code == 200
        assert "Gagnon" not in r.text and "Tremblay" not in r.text and "@" not in r.text


async def test_many_sessions_of_few_people_are_withheld_past_the_probe(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The report counts a cell's people from its first rows and in full only when those
    # rows hold fewer than five people: with a probe of 3 rows, one busy pair's 8 sessions
    # and 4 ratings must still be counted as one person, and four pairs' sessions as four.
    from app.reports import repository

    monkeypatch.setattr(repository, "_PROBE", 3)
    hub, other = await make_hub(), await make_hub()
    rows: list[Any] = []
    by = mentor(hub, capacity=9)
    busy = mentee(hub, "active", at("2025-12-01"))
    pair = match(hub, busy, by, "active", at("2025-12-02"), date(2026, 1, 5))
    rows += [by, busy, pair]
    rows += [
        session(hub, pair, at(f"2026-02-{day:02d}"), rating=5 if day % 2 else None)
        for day in range(1, 9)
    ]
    five_by = mentor(other, capacity=9)
    rows.append(five_by)
    for n in range(5):
        who = mentee(other, "active", at("2025-12-01"))
        pair = match(other, who, five_by, "active", at("2025-12-02"), date(2026, 1, 5))
        rows += [who, pair, session(other, pair, at(f"2026-02-0{n + 1}"), rating=4)]
        if n < 4:
            rows.append(session(other, pair, at(f"2026-02-1{n + 1}"), status="cancelled"))
    await save(rows)
    admin = await login_as(client, "admin")
    for covered, held, cancelled in ((hub, None, 0), (other, 5, None)):
        r = await client.get(
            f"{API}/summary", params={**PERIOD, "hub_id": str(covered.id)}, headers=admin.headers
        )
        figures = by_name(r.json()["hubs"][0])
        assert figures["sessions_held"]["value"] == held
        assert figures["sessions_held"]["suppressed"] is (held is None)
        assert figures["average_session_rating"]["suppressed"] is (held is None)
        assert figures["hours_of_mentoring"]["suppressed"] is (held is None)
        assert figures["sessions_cancelled"]["value"] == cancelled
