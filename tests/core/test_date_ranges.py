"""Every list with `from`/`to` filters answers 422 naming `from` when it comes after `to`."""

from __future__ import annotations

import pytest

from tests.factories import login_as, make_hub
from tests.helpers import EN, assert_problem

LISTS = ("/api/v1/sessions", "/api/v1/audit-events")


async def _admin_headers(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return (await login_as(client, "admin")).headers


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param("2026-03-02", "2026-03-01", id="day-after-day"),
        pytest.param("2026-03-01T12:00:00-05:00", "2026-03-01T11:59:59-05:00", id="moment-after"),
        pytest.param("2026-03-02", "2026-03-01T23:00:00-05:00", id="day-after-moment"),
        pytest.param("2026-03-02T00:00:00-05:00", "2026-03-01", id="moment-after-day"),
        pytest.param("2026-03-01T12:00:00+00:00", "2026-03-01T08:00:00-03:00", id="offsets"),
    ],
)
async def test_from_after_to_is_422_naming_from(client, url, start, end):
    headers = await _admin_headers(client)
    response = await client.get(url, params={"from": start, "to": end}, headers=headers)
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["loc"] == ["query", "from"]
    assert body["errors"][0]["type"] == "range_inverted"


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param("2026-03-01", "2026-03-01", id="same-day"),
        pytest.param("2026-03-01T10:00:00-05:00", "2026-03-01", id="moment-within-the-day"),
        pytest.param("2026-03-01T10:00:00-05:00", "2026-03-01T10:00:00-05:00", id="same-moment"),
        pytest.param("2026-03-01", "2026-03-31", id="a-month"),
    ],
)
async def test_ordered_ranges_still_list(client, url, start, end):
    headers = await _admin_headers(client)
    response = await client.get(url, params={"from": start, "to": end}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


async def test_the_message_follows_the_callers_language(client):
    coord = await login_as(client, "coordinator", await make_hub())
    params = {"from": "2026-03-02", "to": "2026-03-01"}
    fr = assert_problem(await client.get(LISTS[0], params=params, headers=coord.headers), 422)
    en = assert_problem(
        await client.get(LISTS[0], params=params, headers={**coord.headers, **EN}), 422
    )
    assert fr["errors"][0]["msg"] != en["errors"][0]["msg"]
    assert en["errors"][0]["loc"][-1] == fr["errors"][0]["loc"][-1] == "from"


@pytest.mark.parametrize(
    ("url", "extra"),
    [
        *((url, {}) for url in LISTS),
        ("/api/v1/reports/summary", {}),
        ("/api/v1/reports/timeseries", {"metric": "sessions_held"}),
    ],
)
@pytest.mark.parametrize("bound", ["from", "to"])
@pytest.mark.parametrize("value", ["0", "1700000000", "20260301", "2026-3-1"])
async def test_a_date_bound_that_is_not_iso_8601_is_422_naming_it(client, url, extra, bound, value):
    # Found by Schemathesis: pydantic read `to=0` as a Unix time (1970-01-01) and answered 200.
    headers = await _admin_headers(client)
    response = await client.get(url, params={**extra, bound: value}, headers=headers)
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["loc"] == ["query", bound]


@pytest.mark.parametrize("url", ["/api/v1/sessions", "/api/v1/mentors", "/api/v1/testimonials"])
async def test_an_empty_sort_is_422_naming_it(client, url):
    # Found by Schemathesis: `sort=` was read as the default order.
    headers = await _admin_headers(client)
    response = await client.get(url, params={"sort": ""}, headers=headers)
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["loc"] == ["query", "sort"]
