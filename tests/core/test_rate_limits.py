"""Rate limits per API client, per user and per address on /auth/token; memory and Redis."""

from __future__ import annotations

import random
from collections.abc import Iterator

import httpx
import pytest
import redis

from app.core import deps, ratelimit
from app.core.config import Settings, get_settings
from tests.factories import PASSWORD, login_as, make_hub, make_user
from tests.helpers import assert_problem
from tests.sessions.common import api_client_headers

REDIS_URL = "redis://127.0.0.1:6379/0"
TOKEN = "/api/v1/auth/token"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["memory", "redis"])
def storage(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Low limits through settings, counted in memory or in Redis."""
    if request.param == "redis":
        if not _redis_up():
            pytest.skip("Redis is not reachable on 127.0.0.1:6379")
        monkeypatch.setenv("MENTORAT_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("MENTORAT_RATE_LIMIT_CLIENT", "3/hour")
    monkeypatch.setenv("MENTORAT_RATE_LIMIT_USER", "4/hour")
    _fresh()
    yield request.param
    monkeypatch.undo()
    _fresh()


def _fresh() -> None:
    get_settings.cache_clear()
    ratelimit._limiter_for.cache_clear()


def _from_own_address(app) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    """A client from an address of its own (so that Redis counters of earlier runs stay apart)."""
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(address, 4321))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def _assert_limited(response: httpx.Response, limit: int) -> None:
    body = assert_problem(response, 429, "rate-limited")
    assert body["detail"]
    wait = int(response.headers["retry-after"])
    assert 1 <= wait <= 3600
    assert response.headers["ratelimit-limit"] == str(limit)
    assert response.headers["ratelimit-remaining"] == "0"
    assert 1 <= int(response.headers["ratelimit-reset"]) <= 3600


async def test_an_api_client_over_its_limit_gets_429_and_others_do_not(client, storage):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    first = await api_client_headers(client, coordinator, hub, ("mentors:read",))
    second = await api_client_headers(client, coordinator, hub, ("mentors:read",))
    for _ in range(3):
        assert (await client.get("/api/v1/mentors", headers=first)).status_code == 200
    _assert_limited(await client.get("/api/v1/mentors", headers=first), 3)
    _assert_limited(await client.get(f"/api/v1/hubs/{hub.id}", headers=first), 3)
    # The other partner of the same hub, and the coordinator, are not slowed.
    assert (await client.get("/api/v1/mentors", headers=second)).status_code == 200
    assert (await client.get("/api/v1/mentors", headers=coordinator.headers)).status_code == 200


async def test_a_user_over_the_limit_gets_429_and_others_do_not(client, storage):
    hub = await make_hub()
    one = await login_as(client, "coordinator", hub)
    other = await login_as(client, "coordinator", hub)
    for _ in range(4):
        assert (await client.get("/api/v1/users/me", headers=one.headers)).status_code == 200
    _assert_limited(await client.get("/api/v1/mentors", headers=one.headers), 4)
    assert (await client.get("/api/v1/users/me", headers=other.headers)).status_code == 200


async def test_the_token_endpoint_is_limited_per_address(app, storage, monkeypatch):
    monkeypatch.setenv("MENTORAT_RATE_LIMIT_TOKEN", "2/hour")
    _fresh()
    user = await make_user("coordinator", await make_hub())
    wrong = {"username": user.email, "password": "pas le bon mot de passe"}
    right = {"username": user.email, "password": PASSWORD}
    async with _from_own_address(app) as one, _from_own_address(app) as other:
        for _ in range(2):
            assert_problem(await one.post(TOKEN, data=wrong), 401)
        _assert_limited(await one.post(TOKEN, data=wrong), 2)
        # Even the right password waits at that address; another address logs in.
        _assert_limited(await one.post(TOKEN, data=right), 2)
        assert (await other.post(TOKEN, data=right)).status_code == 200


async def test_processes_share_the_counters_in_redis(client, monkeypatch):
    if not _redis_up():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    monkeypatch.setenv("MENTORAT_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("MENTORAT_RATE_LIMIT_USER", "3/hour")
    _fresh()
    try:
        caller = await login_as(client, "coordinator", await make_hub())
        for _ in range(2):
            assert (await client.get("/api/v1/users/me", headers=caller.headers)).status_code == 200
        # A new limiter with its own connection, as another process would have.
        ratelimit._limiter_for.cache_clear()
        assert (await client.get("/api/v1/users/me", headers=caller.headers)).status_code == 200
        _assert_limited(await client.get("/api/v1/users/me", headers=caller.headers), 3)
    finally:
        monkeypatch.undo()
        _fresh()


async def test_an_unreachable_redis_lets_requests_through(client, monkeypatch):
    monkeypatch.setenv("MENTORAT_REDIS_URL", "redis://127.0.0.1:1/0")
    _fresh()
    try:
        caller = await login_as(client, "coordinator", await make_hub())
        assert (await client.get("/api/v1/users/me", headers=caller.headers)).status_code == 200
    finally:
        monkeypatch.undo()
        _fresh()


async def test_the_token_is_decoded_once_per_request(client, monkeypatch):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    partner = await api_client_headers(client, coordinator, hub, ("mentors:read",))
    calls: list[str] = []
    real = deps.decode_access_token

    def counting(token: str):  # type: ignore[no-untyped-def]
        calls.append(token)
        return real(token)

    monkeypatch.setattr(deps, "decode_access_token", counting)
    assert (await client.get("/api/v1/mentors", headers=partner)).status_code == 200
    assert (await client.get("/api/v1/mentors", headers=coordinator.headers)).status_code == 200
    assert len(calls) == 2


@pytest.mark.parametrize("value", ["lots", "10/sec", ""])
def test_a_limit_that_does_not_parse_refuses_to_start(value):
    with pytest.raises(ValueError, match="RATE_LIMIT_CLIENT"):
        Settings(rate_limit_client=value)


async def test_a_429_is_never_stored_so_the_retry_with_the_same_key_runs(client, monkeypatch):
    admin = await login_as(client, "admin")
    monkeypatch.setenv("MENTORAT_RATE_LIMIT_USER", "1/hour")
    ratelimit._limiter_for.cache_clear()
    get_settings.cache_clear()
    body = {"slug": "gaspesie", "name": "Pôle Gaspésie", "regions": ["11"]}
    body["contact_email"] = "gaspesie@example.org"
    headers = {**admin.headers, "Idempotency-Key": "limited"}
    try:
        assert (await client.get("/api/v1/users/me", headers=admin.headers)).status_code == 200
        _assert_limited(await client.post("/api/v1/hubs", json=body, headers=headers), 1)
        # The limit lifts (a new window, or a higher limit): the same key runs the request.
        monkeypatch.setenv("MENTORAT_RATE_LIMIT_USER", "100/hour")
        ratelimit._limiter_for.cache_clear()
        get_settings.cache_clear()
        retry = await client.post("/api/v1/hubs", json=body, headers=headers)
        assert retry.status_code == 201, retry.text
        assert "idempotent-replayed" not in retry.headers
        again = await client.post("/api/v1/hubs", json=body, headers=headers)
        assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    finally:
        monkeypatch.undo()
        ratelimit._limiter_for.cache_clear()
        get_settings.cache_clear()
