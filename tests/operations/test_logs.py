"""One structured line per request, and no personal data in any line."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from app.core.logs import json_formatter
from tests.factories import PASSWORD, login_as, make_hub
from tests.sessions.common import make_pair


async def test_access_lines_and_no_personal_data(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    hub = await make_hub()
    # The service logs at INFO in production (database drivers' DEBUG lines show queries).
    caplog.set_level(logging.INFO)
    coord = await login_as(client, "coordinator", hub, full_name="Josée Lavoie-Secrète")
    pair = await make_pair(client, hub, coord)
    agenda = "Parler du conflit au conseil d'administration"
    r = await client.post(
        "/api/v1/sessions",
        json={
            "match_id": pair.id,
            "scheduled_at": "2030-03-02T15:00:00+00:00",
            "duration_minutes": 60,
            "mode": "video",
            "agenda": agenda,
        },
        headers={**pair.mentee_user.headers, "X-Request-ID": "trace-42"},
    )
    assert r.status_code == 201, r.text
    assert r.headers["X-Request-ID"] == "trace-42"
    await client.get(f"/api/v1/mentees/{pair.mentee.id}", headers=coord.headers)
    await client.post("/api/v1/auth/token", data={"username": "x@example.org", "password": "faux"})

    formatter = json_formatter()
    # Every line but the test client's own (httpx logs the URLs it calls).
    lines = [
        json.loads(formatter.format(record))
        for record in caplog.records
        if not record.name.startswith("httpx")
    ]
    access = [line for line in lines if line["logger"] == "mentorat.access"]
    created = next(line for line in access if line["request_id"] == "trace-42")
    assert created["method"] == "POST"
    assert created["route"] == "/api/v1/sessions"
    assert created["status"] == 201
    assert created["level"] == "INFO"
    assert isinstance(created["duration_ms"], float) and created["duration_ms"] >= 0
    assert created["time"]
    assert created["actor_type"] == "user"
    assert created["actor_id"] == str(pair.mentee_user.user.id)
    assert created["hub_id"] == str(hub.id)
    read = next(line for line in access if line["route"] == "/api/v1/mentees/{profile_id}")
    assert read["status"] == 200 and read["actor_id"] == str(coord.user.id)
    refused = [line for line in access if line["route"] == "/api/v1/auth/token"]
    assert refused[-1]["status"] == 401 and refused[-1]["actor_id"] is None

    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    personal = [
        pair.mentee.first_name + " " + pair.mentee.last_name,
        pair.mentee.email,
        pair.mentor.email,
        coord.user.email,
        "Josée Lavoie-Secrète",
        PASSWORD,
        "faux",
        coord.token,
        pair.mentee_user.token,
        agenda,
        str(pair.mentee.id),  # the path's id: lines hold the route template only
    ]
    for value in personal:
        assert value not in text, value
