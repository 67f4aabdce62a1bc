"""The summary's figures against a hand-built program whose answers are known."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest

from app.core import clock
from tests.factories import login_as, make_hub
from tests.helpers import assert_names_field
from tests.reports.program import (
    FIGURES,
    HELD_BY_MONTH,
    HOURS_BY_MONTH,
    NOW,
    PERIOD,
    at,
    build,
    mentee,
    save,
)

API = "/api/v1/reports"


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def figures(section: dict[str, Any]) -> dict[str, Any]:
    """name -> value of one hub's section (suppressed figures are None)."""
    return {f["name"]: f["value"] for f in section["figures"]}


async def test_every_figure_of_the_known_program(client: httpx.AsyncClient) -> None:
    hub = await make_hub("nord")
    await build(hub)
    coord = await login_as(client, "coordinator", hub)
    r = await client.get(f"{API}/summary", params=PERIOD, headers=coord.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["from"] == "2026-01-01" and body["to"] == "2026-06-30"
    [section] = body["hubs"]
    assert section["hub_slug"] == "nord"
    assert figures(section) == FIGURES
    assert not any(f["suppressed"] for f in section["figures"])


async def test_health_figures_agree_with_each_match_health(client: httpx.AsyncClient) -> None:
    hub = await make_hub()
    await build(hub)
    coord = await login_as(client, "coordinator", hub)
    r = await client.get("/api/v1/matches", params={"limit": 200}, headers=coord.headers)
    assert r.status_code == 200, r.text
    shown = [m["health"]["status"] for m in r.json()["items"] if m["status"] == "active"]
    report = (await client.get(f"{API}/summary", params=PERIOD, headers=coord.headers)).json()
    values = figures(report["hubs"][0])
    assert values["matches_at_risk"] == shown.count("at_risk") == 5
    assert values["matches_stalled"] == shown.count("stalled") == 5


async def test_a_narrower_period_counts_only_its_days(client: httpx.AsyncClient) -> None:
    hub = await make_hub()
    await build(hub)
    coord = await login_as(client, "coordinator", hub)
    r = await client.get(
        f"{API}/summary", params={"from": "2026-02-01", "to": "2026-02-28"}, headers=coord.headers
    )
    values = figures(r.json()["hubs"][0])
    assert values["sessions_held"] == 15
    assert values["sessions_cancelled"] == 5
    assert values["applications_received"] == 0
    assert values["hours_of_mentoring"] == 17.5


async def test_csv_parses_back_to_the_same_figures(client: httpx.AsyncClient) -> None:
    hub = await make_hub("nord")
    await build(hub)
    other = await make_hub("sud")
    admin = await login_as(client, "admin")
    as_json = (await client.get(f"{API}/summary", params=PERIOD, headers=admin.headers)).json()
    r = await client.get(
        f"{API}/summary", params=PERIOD, headers={**admin.headers, "Accept": "text/csv"}
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 2 * len(FIGURES)

    def parse(text: str) -> int | float | None:
        if text == "":
            return None
        return float(text) if "." in text else int(text)

    parsed = {(row["hub_id"], row["figure"]): parse(row["value"]) for row in rows}
    expected = {
        (section["hub_id"], f["name"]): f["value"]
        for section in as_json["hubs"]
        for f in section["figures"]
    }
    assert parsed == expected
    assert parsed[(str(hub.id), "hours_of_mentoring")] == 47.5
    assert parsed[(str(other.id), "applications_received")] == 0
    assert {row["from"] for row in rows} == {"2026-01-01"}
    assert {row["suppressed"] for row in rows} == {"false"}


async def test_timeseries_of_sessions_held_and_hours(client: httpx.AsyncClient) -> None:
    hub = await make_hub()
    await build(hub)
    coord = await login_as(client, "coordinator", hub)
    for metric, expected in (
        ("sessions_held", HELD_BY_MONTH),
        ("hours_of_mentoring", HOURS_BY_MONTH),
    ):
        r = await client.get(
            f"{API}/timeseries",
            params={"metric": metric, "interval": "month", **PERIOD},
            headers=coord.headers,
        )
        assert r.status_code == 200, r.text
        [series] = r.json()["series"]
        assert {p["period"]: p["value"] for p in series["points"]} == expected


async def test_a_month_is_a_month_in_quebec(client: httpx.AsyncClient) -> None:
    hub = await make_hub()
    await build(hub)
    # 22:00 on February 28 in Montréal is already March 1st in UTC.
    await save([mentee(hub, "applicant", at("2026-03-01", hour=3)) for _ in range(5)])
    coord = await login_as(client, "coordinator", hub)
    r = await client.get(
        f"{API}/timeseries",
        params={"metric": "applications_received", "from": "2026-01-01", "to": "2026-03-31"},
        headers=coord.headers,
    )
    points = {p["period"]: p["value"] for p in r.json()["series"][0]["points"]}
    assert points == {"2026-01": 20, "2026-02": 5, "2026-03": 5}


async def test_from_after_to_is_422_naming_from(client: httpx.AsyncClient) -> None:
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    for path, extra in (("summary", {}), ("timeseries", {"metric": "sessions_held"})):
        r = await client.get(
            f"{API}/{path}",
            params={"from": "2026-06-01", "to": "2026-01-01", **extra},
            headers=coord.headers,
        )
        assert_names_field(r, "from")


async def test_unknown_metric_or_interval_is_422(client: httpx.AsyncClient) -> None:
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    r = await client.get(f"{API}/timeseries", params={"metric": "names"}, headers=coord.headers)
    assert_names_field(r, "metric")
    r = await client.get(
        f"{API}/timeseries",
        params={"metric": "sessions_held", "interval": "week"},
        headers=coord.headers,
    )
    assert_names_field(r, "interval")
