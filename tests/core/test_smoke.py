"""The service answers and a login works end to end."""

from tests.factories import login_as


async def test_healthz(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_login_then_me(client):
    admin = await login_as(client, "admin")
    response = await client.get("/api/v1/users/me", headers=admin.headers)
    assert response.status_code == 200, response.text
    assert response.json()["email"] == admin.user.email
    assert response.headers["cache-control"] == "no-store"
