"""Access tokens: only an untampered, unexpired HS256 token of ours, with every claim, works."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from jose import jwt

from app.core.config import get_settings
from tests.factories import PASSWORD, bearer, login_as, make_hub, make_user
from tests.helpers import EN, assert_problem

ME = "/api/v1/users/me"


def _claims(token: str) -> dict[str, Any]:
    return dict(jwt.get_unverified_claims(token))


def _sign(claims: dict[str, Any], secret: str | None = None) -> str:
    key = secret or get_settings().jwt_secret.get_secret_value()
    return jwt.encode(claims, key, algorithm="HS256")


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def _assert_rejected(client, token: str) -> None:  # type: ignore[no-untyped-def]
    response = await client.get(ME, headers=bearer(token))
    body = assert_problem(response, 401)
    assert body["type"] in {"invalid-token", "unauthenticated"}
    assert response.headers["www-authenticate"].lower().startswith("bearer")


async def test_a_valid_token_reads_the_account(client):
    admin = await login_as(client, "admin")
    response = await client.get(ME, headers=admin.headers)
    assert response.status_code == 200
    assert response.json()["id"] == str(admin.user.id)


async def test_no_token_is_401(client):
    response = await client.get(ME)
    assert_problem(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("value", ["garbage", "a.b.c", "Bearer", "eyJhbGciOiJIUzI1NiJ9..", ""])
async def test_garbage_tokens_are_401(client, value):
    response = await client.get(ME, headers={"Authorization": f"Bearer {value}"})
    assert_problem(response, 401)


async def test_a_tampered_signature_is_401(client):
    admin = await login_as(client, "admin")
    head, payload, signature = admin.token.split(".")
    flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
    await _assert_rejected(client, f"{head}.{payload}.{flipped}")


async def test_a_tampered_payload_is_401(client):
    admin = await login_as(client, "admin")
    mentor = await login_as(client, "mentor", await make_hub())
    head, _payload, signature = mentor.token.split(".")
    # The mentor's token, claiming to be the admin, with the mentor's signature.
    claims = _claims(mentor.token) | {"sub": str(admin.user.id)}
    await _assert_rejected(client, f"{head}.{_b64(claims)}.{signature}")


async def test_alg_none_is_401(client):
    admin = await login_as(client, "admin")
    header = _b64({"alg": "none", "typ": "JWT"})
    await _assert_rejected(client, f"{header}.{_b64(_claims(admin.token))}.")


async def test_a_token_signed_with_another_secret_is_401(client):
    admin = await login_as(client, "admin")
    await _assert_rejected(client, _sign(_claims(admin.token), secret="x" * 48))


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "aud", "iss", "jti"])
async def test_a_token_missing_a_required_claim_is_401(client, claim):
    admin = await login_as(client, "admin")
    claims = _claims(admin.token)
    del claims[claim]
    await _assert_rejected(client, _sign(claims))


async def test_the_real_secret_and_claims_resigned_still_work(client):
    """Control for the tests above: re-signing untouched claims keeps the token valid."""
    admin = await login_as(client, "admin")
    response = await client.get(ME, headers=bearer(_sign(_claims(admin.token))))
    assert response.status_code == 200


async def test_a_wrong_audience_is_401(client):
    admin = await login_as(client, "admin")
    await _assert_rejected(client, _sign(_claims(admin.token) | {"aud": "another-api"}))


async def test_a_wrong_issuer_is_401(client):
    admin = await login_as(client, "admin")
    await _assert_rejected(client, _sign(_claims(admin.token) | {"iss": "someone-else"}))


async def test_an_expired_token_is_401(client):
    admin = await login_as(client, "admin")
    past = int(time.time()) - 3600
    claims = _claims(admin.token) | {"iat": past - 900, "nbf": past - 900, "exp": past}
    await _assert_rejected(client, _sign(claims))


async def test_a_token_of_an_unknown_kind_is_401(client):
    admin = await login_as(client, "admin")
    await _assert_rejected(client, _sign(_claims(admin.token) | {"typ": "admin"}))


async def test_the_401_is_french_by_default_and_english_on_request(client):
    fr = assert_problem(await client.get(ME, headers=bearer("garbage")), 401, "invalid-token")
    en = assert_problem(await client.get(ME, headers=bearer("garbage", **EN)), 401, "invalid-token")
    assert fr["title"] == "Jeton invalide"
    assert en["title"] == "Invalid token"
    assert fr["detail"] != en["detail"]


async def test_a_deactivated_users_token_stops_working(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    mentor = await login_as(client, "mentor", hub)
    assert (await client.get(ME, headers=mentor.headers)).status_code == 200
    response = await client.patch(
        f"/api/v1/users/{mentor.user.id}", json={"is_active": False}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["is_active"] is False
    await _assert_rejected(client, mentor.token)


async def test_a_deactivated_user_cannot_log_in(client):
    user = await make_user("admin", is_active=False)
    response = await client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": PASSWORD}
    )
    assert_problem(response, 401, "invalid-credentials")
