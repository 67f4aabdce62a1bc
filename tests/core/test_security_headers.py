"""Headers every answer carries: nosniff always, no-store on personal data."""

from __future__ import annotations

import pytest

from tests.factories import login_as, make_hub


async def test_nosniff_on_every_kind_of_answer(client):
    admin = await login_as(client, "admin")
    answers = [
        await client.get("/healthz"),
        await client.get("/readyz"),
        await client.get("/openapi.json"),
        await client.get("/docs"),
        await client.get("/api/v1/reference"),
        await client.get("/api/v1/users/me", headers=admin.headers),
        await client.get("/api/v1/users/me"),
        await client.get("/api/v1/nowhere"),
        await client.delete("/healthz"),
        await client.get("/api/v1/users", params={"limit": 0}, headers=admin.headers),
        await client.post(
            "/api/v1/hubs",
            content=b"x" * 2_000_000,
            headers={"Content-Type": "application/json"},
        ),
    ]
    statuses = {a.status_code for a in answers}
    assert {200, 401, 404, 405, 413, 422} <= statuses
    for answer in answers:
        assert answer.headers["x-content-type-options"] == "nosniff", answer.request.url


async def test_a_request_id_comes_back(client):
    mine = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert mine.headers["x-request-id"] == "abc-123"
    fresh = await client.get("/healthz")
    assert len(fresh.headers["x-request-id"]) == 32


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users/me",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/hubs",
        "/api/v1/hubs/{hub}",
    ],
)
async def test_personal_data_is_never_cached(client, path):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    url = path.format(id=coordinator.user.id, hub=hub.id)
    response = await client.get(url, headers=coordinator.headers)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"


async def test_tokens_are_never_cached(client):
    from tests.factories import PASSWORD, make_user

    user = await make_user("admin")
    response = await client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": PASSWORD}
    )
    assert response.headers["cache-control"] == "no-store"
    failed = await client.post("/api/v1/auth/token", data={"username": user.email, "password": "x"})
    assert failed.headers["cache-control"] == "no-store"


async def test_reference_is_cacheable_per_language(client):
    response = await client.get("/api/v1/reference")
    assert "no-store" not in response.headers["cache-control"]
    assert "max-age" in response.headers["cache-control"]
    # Its labels follow Accept-Language: a shared cache must key on it.
    assert "accept-language" in response.headers.get("vary", "").lower()
