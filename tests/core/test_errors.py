"""Every error a client can meet is an RFC 9457 problem, in French or English."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa

from app.core.db import unit_of_work
from tests.factories import login_as, make_hub
from tests.helpers import EN, assert_problem, error_fields

ONE_MIB = 1_048_576


async def _both(client: httpx.AsyncClient, method: str, url: str, status: int, **kwargs):  # type: ignore[no-untyped-def]
    """The same request in French (default) and in English; both problems of `status`."""
    headers = kwargs.pop("headers", {})
    fr = await client.request(method, url, headers=headers, **kwargs)
    en = await client.request(method, url, headers={**headers, **EN}, **kwargs)
    fr_body, en_body = assert_problem(fr, status), assert_problem(en, status)
    assert fr_body["type"] == en_body["type"]
    assert fr_body["title"] != en_body["title"]
    return fr_body, en_body


async def test_404_on_an_unknown_path(client):
    fr, en = await _both(client, "GET", "/api/v1/nothing-here", 404)
    assert fr["type"] == "not-found"
    assert (fr["title"], en["title"]) == ("Introuvable", "Not found")


async def test_404_on_an_unknown_path_outside_the_api(client):
    fr, _ = await _both(client, "GET", "/nothing-here", 404)
    assert fr["type"] == "not-found"


async def test_405_on_a_wrong_method(client):
    response = await client.put("/healthz")
    assert "GET" in response.headers["allow"]
    fr, en = await _both(client, "DELETE", "/api/v1/users/me", 405)
    assert fr["type"] == "method-not-allowed"
    assert "DELETE" in fr["detail"] and "DELETE" in en["detail"]
    assert en["title"] == "Method not allowed"


async def test_401_without_a_token(client):
    fr, en = await _both(client, "GET", "/api/v1/users", 401)
    assert fr["type"] == "unauthenticated"
    assert (fr["title"], en["title"]) == ("Authentification requise", "Authentication required")


async def test_403_for_a_role_that_may_not(client):
    mentor = await login_as(client, "mentor", await make_hub())
    fr, en = await _both(client, "GET", "/api/v1/users", 403, headers=mentor.headers)
    assert fr["type"] == "forbidden"
    assert (fr["title"], en["title"]) == ("Accès refusé", "Forbidden")


async def test_409_on_a_duplicate(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    body = {"slug": hub.slug, "name": "Doublon", "contact_email": "d@example.org"}
    fr, en = await _both(client, "POST", "/api/v1/hubs", 409, json=body, headers=admin.headers)
    assert fr["type"] == "already-exists"
    assert en["detail"] == "A resource with this slug already exists."


async def test_412_on_a_stale_if_match(client):
    mentor = await login_as(client, "mentor", await make_hub())
    read = await client.get("/api/v1/users/me", headers=mentor.headers)
    assert read.headers["etag"] == '"1"'
    stale = {**mentor.headers, "If-Match": '"0"'}
    fr, en = await _both(
        client, "PATCH", "/api/v1/users/me", 412, json={"locale": "en"}, headers=stale
    )
    assert fr["type"] == "precondition-failed"
    assert "1" in en["detail"]
    current = {**mentor.headers, "If-Match": read.headers["etag"]}
    ok = await client.patch("/api/v1/users/me", json={"locale": "en"}, headers=current)
    assert ok.status_code == 200
    weak = {**mentor.headers, "If-Match": 'W/"2"'}
    assert (await client.patch("/api/v1/users/me", json={}, headers=weak)).status_code == 200


async def test_413_with_a_content_length(client):
    body = b'{"name": "' + b"x" * ONE_MIB + b'"}'
    fr, en = await _both(
        client,
        "POST",
        "/api/v1/hubs",
        413,
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert fr["type"] == "payload-too-large"
    assert str(ONE_MIB) in en["detail"]


async def test_413_without_a_content_length(client):
    admin = await login_as(client, "admin")

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "'
        for _ in range(20):
            yield b"x" * 65_536
        yield b'"}'

    response = await client.post(
        "/api/v1/hubs",
        content=chunks(),
        headers={**admin.headers, "Content-Type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    body = assert_problem(response, 413, "payload-too-large")
    assert body["title"] == "Corps trop volumineux"


async def test_a_body_just_under_the_limit_is_parsed(client):
    admin = await login_as(client, "admin")
    padding = "x" * (ONE_MIB - 200)
    body = json.dumps({"slug": "pole", "name": "N", "contact_email": "a@b.org", "pad": padding})
    response = await client.post(
        "/api/v1/hubs", content=body, headers={**admin.headers, "Content-Type": "application/json"}
    )
    # Parsed, then refused for its unknown field: not a 413.
    assert "pad" in error_fields(assert_problem(response, 422))


async def test_422_lists_each_field_with_loc_and_msg(client):
    admin = await login_as(client, "admin")
    fr, en = await _both(
        client,
        "POST",
        "/api/v1/hubs",
        422,
        json={"slug": "Pas bon", "regions": ["42"]},
        headers=admin.headers,
    )
    assert fr["type"] == "validation-error"
    assert set(error_fields(fr)) >= {"slug", "regions", "name", "contact_email"}
    for entry in fr["errors"]:
        assert entry["loc"][0] == "body"
    missing_fr = next(e for e in fr["errors"] if e["loc"][-1] == "name")
    missing_en = next(e for e in en["errors"] if e["loc"][-1] == "name")
    assert (missing_fr["msg"], missing_en["msg"]) == ("Champ requis", "Field required")


async def test_422_on_malformed_json(client):
    admin = await login_as(client, "admin")
    response = await client.post(
        "/api/v1/hubs",
        content=b'{"slug": ',
        headers={**admin.headers, "Content-Type": "application/json"},
    )
    assert_problem(response, 422, "validation-error")


async def test_422_on_a_bad_path_id(client):
    admin = await login_as(client, "admin")
    response = await client.get("/api/v1/users/not-a-uuid", headers=admin.headers)
    assert error_fields(assert_problem(response, 422)) == ["user_id"]


async def test_429_is_a_problem_too(client):
    from tests.factories import make_user

    user = await make_user("admin")
    for _ in range(10):
        await client.post("/api/v1/auth/token", data={"username": user.email, "password": "bad"})
    fr, en = await _both(
        client, "POST", "/api/v1/auth/token", 429, data={"username": user.email, "password": "bad"}
    )
    assert fr["type"] == "too-many-requests"
    assert (fr["title"], en["title"]) == ("Trop de tentatives", "Too many attempts")


async def test_accept_language_quality_values_are_honoured(client):
    response = await client.get(
        "/api/v1/nowhere", headers={"Accept-Language": "de, en;q=0.8, fr;q=0.5"}
    )
    assert response.json()["title"] == "Not found"
    other = await client.get("/api/v1/nowhere", headers={"Accept-Language": "es"})
    assert other.json()["title"] == "Introuvable"


@pytest.fixture
async def crashing_client() -> AsyncIterator[httpx.AsyncClient]:
    """A fresh app with two test-only routes that fail unexpectedly."""
    from app.main import create_app

    crashing = create_app()

    @crashing.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret detail at /srv/mentorat/app/users/service.py line 42")

    @crashing.get("/api/v1/boom-sql")
    async def boom_sql() -> None:
        async with unit_of_work(write=False) as db:
            await db.execute(sa.text("SELECT password_hash FROM no_such_table"))

    transport = httpx.ASGITransport(app=crashing, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.mark.parametrize("path", ["/boom", "/api/v1/boom-sql"])
async def test_500_shows_no_trace_sql_or_path(crashing_client, path):
    fr, en = await _both(crashing_client, "GET", path, 500)
    assert fr["type"] == "internal-error"
    assert en["title"] == "Internal error"
    response = await crashing_client.get(path)
    for leak in ("Traceback", "SELECT", "no_such_table", "password_hash", "/srv", ".py", "secret"):
        assert leak not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
