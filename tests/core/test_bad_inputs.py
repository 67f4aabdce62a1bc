"""Inputs at the edges get a clear 422, never a hang or a 500."""

import pytest

from tests.factories import login_as, make_hub
from tests.matches.helpers import make_mentee, make_mentor, propose
from tests.sessions.test_sessions_smoke import active_match


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2026-01-01T00:00:00"]
)
async def test_out_of_range_or_naive_times_in_filters_are_422(client, value):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    for url, name in (
        ("/api/v1/mentors", "updated_since"),
        ("/api/v1/sessions", "from"),
        ("/api/v1/sessions", "to"),
    ):
        response = await client.get(url, params={name: value}, headers=coord.headers)
        assert response.status_code == 422, (url, name, response.text)
        assert response.json()["errors"][0]["loc"][-1] == name


async def test_date_range_filters_take_plain_dates(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    response = await client.get(
        "/api/v1/sessions", params={"from": "2025-01-01", "to": "2025-12-31"}, headers=coord.headers
    )
    assert response.status_code == 200, response.text


async def test_activation_far_in_the_future_is_refused_not_hung(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    match = (await propose(client, coord, await make_mentor(hub), await make_mentee(hub))).json()
    for side in ("mentor", "mentee"):
        await client.post(
            f"/api/v1/matches/{match['id']}/accept", json={"side": side}, headers=coord.headers
        )
    response = await client.post(
        f"/api/v1/matches/{match['id']}/activate",
        json={"agreement_signed_on": "2025-01-01", "starts_on": "9999-06-01"},
        headers=coord.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "starts_on"]


async def test_nul_characters_are_422_in_bodies_and_query_strings(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    body = {
        "first_name": "a\u0000b",
        "last_name": "B",
        "email": "nul@example.org",
        "languages": ["fr"],
    }
    assert (
        await client.post("/api/v1/mentors", json=body, headers=coord.headers)
    ).status_code == 422
    found = await client.get("/api/v1/mentors?q=a%00b", headers=coord.headers)
    assert found.status_code == 422
    assert found.headers["content-type"].startswith("application/problem+json")
    login = await client.post(
        "/api/v1/auth/token", data={"username": "x\u0000@example.org", "password": "p\u0000" * 8}
    )
    assert login.status_code == 401


async def test_feedback_honours_if_match(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor, mentee = await make_mentor(hub), await make_mentee(hub)
    match = await active_match(client, hub, coord, mentor, mentee)
    mentee_login = await login_as(client, "mentee", hub, profile_id=mentee.id)
    created = await client.post(
        "/api/v1/sessions",
        json={
            "match_id": match["id"],
            "scheduled_at": "2026-02-01T15:00:00-05:00",
            "mode": "video",
        },
        headers=mentee_login.headers,
    )
    session = created.json()
    held = await client.post(
        f"/api/v1/sessions/{session['id']}/hold",
        json={"duration_minutes": 60},
        headers=mentee_login.headers,
    )
    assert held.status_code == 200, held.text
    stale = await client.put(
        f"/api/v1/sessions/{session['id']}/feedback",
        json={"rating": 5},
        headers={**mentee_login.headers, "If-Match": '"1"'},
    )
    assert stale.status_code == 412
    fresh = await client.put(
        f"/api/v1/sessions/{session['id']}/feedback",
        json={"rating": 5},
        headers={**mentee_login.headers, "If-Match": held.headers["etag"]},
    )
    assert fresh.status_code == 200, fresh.text
