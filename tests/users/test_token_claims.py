"""Tokens signed with our key but with out-of-range times are refused with 401, never 500."""

from __future__ import annotations

import time
from typing import Any

import pytest
from jose import jwt

from app.core.config import get_settings
from tests.factories import bearer, login_as, make_hub
from tests.helpers import assert_problem, client_token

ME = "/api/v1/users/me"
HUBS = "/api/v1/hubs"
TTL = get_settings().access_token_ttl_seconds


def _sign(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, get_settings().jwt_secret.get_secret_value(), algorithm="HS256")


async def _admin_claims(client) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    admin = await login_as(client, "admin")
    return dict(jwt.get_unverified_claims(admin.token))


async def _assert_401(client, token: str) -> None:  # type: ignore[no-untyped-def]
    response = await client.get(ME, headers=bearer(token))
    body = assert_problem(response, 401, "invalid-token")
    assert response.headers["www-authenticate"].lower().startswith("bearer")
    assert body["status"] == 401


@pytest.mark.parametrize(
    "times",
    [
        pytest.param({"exp": 10**20}, id="huge-exp"),
        pytest.param({"iat": 10**20}, id="huge-iat"),
        pytest.param({"iat": 10**20, "exp": 10**20 + 60}, id="huge-iat-and-exp"),
        pytest.param({"exp": 1e300}, id="huge-float-exp"),
        pytest.param({"exp": float("inf")}, id="infinite-exp"),
        pytest.param({"iat": float("-inf")}, id="minus-infinite-iat"),
        pytest.param({"exp": float("nan")}, id="nan-exp"),
        pytest.param({"exp": -(10**20)}, id="hugely-negative-exp"),
        pytest.param({"exp": "tomorrow"}, id="text-exp"),
        pytest.param({"iat": "now"}, id="text-iat"),
        pytest.param({"exp": str(int(time.time()) + 300)}, id="numeric-text-exp"),
        pytest.param({"exp": True}, id="boolean-exp"),
        pytest.param({"iat": None}, id="null-iat"),
        pytest.param({"exp": [1]}, id="list-exp"),
        pytest.param({"iat": {"at": 1}}, id="object-iat"),
    ],
)
async def test_out_of_range_or_non_numeric_times_are_401(client, times):
    claims = await _admin_claims(client) | times
    await _assert_401(client, _sign(claims))


async def test_an_iat_an_hour_ahead_is_401(client):
    now = int(time.time())
    claims = await _admin_claims(client) | {"iat": now + 3600, "nbf": now, "exp": now + 3600 + 60}
    await _assert_401(client, _sign(claims))


async def test_an_iat_a_few_seconds_ahead_is_accepted(client):
    """Clock skew between nodes: up to 60 seconds ahead still works (control for the test above)."""
    now = int(time.time())
    claims = await _admin_claims(client) | {"iat": now + 20, "nbf": now, "exp": now + 20 + 60}
    response = await client.get(ME, headers=bearer(_sign(claims)))
    assert response.status_code == 200, response.text


async def test_a_lifetime_longer_than_configured_is_401(client):
    now = int(time.time())
    claims = await _admin_claims(client) | {"iat": now, "exp": now + TTL + 1}
    await _assert_401(client, _sign(claims))


async def test_exactly_the_configured_lifetime_is_accepted(client):
    now = int(time.time())
    claims = await _admin_claims(client) | {"iat": now, "exp": now + TTL}
    response = await client.get(ME, headers=bearer(_sign(claims)))
    assert response.status_code == 200, response.text


async def test_an_exp_before_iat_is_401(client):
    now = int(time.time())
    claims = await _admin_claims(client) | {"iat": now + 30, "exp": now + 10}
    await _assert_401(client, _sign(claims))


async def test_a_huge_exp_changes_nothing_on_a_write_with_an_idempotency_key(client):
    """The idempotency layer reads the token too: a forged one is a 401, and nothing is made."""
    admin = await login_as(client, "admin")
    forged = _sign(dict(jwt.get_unverified_claims(admin.token)) | {"exp": 10**20})
    body = {"slug": "forge", "name": "Forgé", "regions": ["06"], "contact_email": "a@example.org"}
    response = await client.post(
        HUBS, json=body, headers=bearer(forged, **{"Idempotency-Key": "forged-1"})
    )
    assert_problem(response, 401, "invalid-token")
    listed = await client.get(HUBS, headers=admin.headers)
    assert "forge" not in [hub["slug"] for hub in listed.json()["items"]]


async def test_logout_with_a_forged_token_is_401(client):
    admin = await login_as(client, "admin")
    forged = _sign(dict(jwt.get_unverified_claims(admin.token)) | {"iat": 10**20})
    response = await client.post("/api/v1/auth/logout", headers=bearer(forged))
    assert_problem(response, 401, "invalid-token")
    # The forged token ended nothing: its claims were not trusted.
    assert (await client.get(ME, headers=admin.headers)).status_code == 200


async def test_an_api_clients_token_with_a_huge_exp_is_401(client):
    admin = await login_as(client, "admin")
    real = await client_token(client, admin.headers, (await make_hub()).id)
    forged = _sign(dict(jwt.get_unverified_claims(real)) | {"exp": 10**20})
    response = await client.get("/api/v1/mentors", headers=bearer(forged))
    assert_problem(response, 401, "invalid-token")
    assert (await client.get("/api/v1/mentors", headers=bearer(real))).status_code == 200
