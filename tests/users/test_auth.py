"""Logging in, refresh-token rotation with reuse detection, logout, and the lockout."""

from __future__ import annotations

import httpx

from tests.factories import PASSWORD, bearer, make_user
from tests.helpers import EN, assert_names_field, assert_problem

TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/users/me"


async def _login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post(TOKEN, data={"username": email, "password": password})


async def _tokens(client: httpx.AsyncClient) -> dict[str, str]:
    user = await make_user("admin")
    response = await _login(client, user.email)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_password_grant_answers_an_oauth2_token(client):
    user = await make_user("admin")
    response = await _login(client, user.email.upper())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["access_token"] and body["refresh_token"]
    assert response.headers["cache-control"] == "no-store"
    assert (await client.get(ME, headers=bearer(body["access_token"]))).status_code == 200


async def test_password_grant_requires_form_fields(client):
    response = await client.post(TOKEN, data={"username": "someone@example.org"})
    assert_names_field(response, "password")


async def test_an_unknown_grant_type_is_400(client):
    response = await client.post(TOKEN, data={"grant_type": "implicit"})
    assert_problem(response, 400, "unsupported-grant-type")


async def test_unknown_email_and_wrong_password_answer_the_same(client):
    user = await make_user("admin")
    wrong = await _login(client, user.email, "not the right password")
    unknown = await _login(client, "nobody-here@example.org", PASSWORD)
    assert_problem(wrong, 401, "invalid-credentials")
    assert wrong.status_code == unknown.status_code
    assert wrong.json() == unknown.json()
    assert wrong.headers["content-type"] == unknown.headers["content-type"]


# --- refresh rotation -------------------------------------------------------------------


async def test_refresh_rotates_the_refresh_token(client):
    first = await _tokens(client)
    response = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert response.status_code == 200, response.text
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert (await client.get(ME, headers=bearer(second["access_token"]))).status_code == 200
    # The old refresh token was used once: presenting it again fails.
    again = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert_problem(again, 401, "invalid-token")


async def test_reusing_an_old_refresh_token_revokes_the_whole_family(client):
    first = await _tokens(client)
    second = (await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})).json()
    third = (await client.post(REFRESH, json={"refresh_token": second["refresh_token"]})).json()
    assert "refresh_token" in third, third
    # Someone replays the first token: the newest tokens die with it.
    replay = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert_problem(replay, 401, "invalid-token")
    newest = await client.post(REFRESH, json={"refresh_token": third["refresh_token"]})
    assert_problem(newest, 401, "invalid-token")
    assert_problem(await client.get(ME, headers=bearer(third["access_token"])), 401)


async def test_reuse_leaves_other_logins_alone(client):
    user = await make_user("admin")
    phone = (await _login(client, user.email)).json()
    laptop = (await _login(client, user.email)).json()
    await client.post(REFRESH, json={"refresh_token": phone["refresh_token"]})
    await client.post(REFRESH, json={"refresh_token": phone["refresh_token"]})
    assert (await client.get(ME, headers=bearer(laptop["access_token"]))).status_code == 200


async def test_refresh_takes_a_form_body(client):
    first = await _tokens(client)
    response = await client.post(REFRESH, data={"refresh_token": first["refresh_token"]})
    assert response.status_code == 200, response.text
    assert response.json()["refresh_token"] != first["refresh_token"]


async def test_refresh_through_the_token_endpoint(client):
    first = await _tokens(client)
    response = await client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["refresh_token"] != first["refresh_token"]


async def test_refresh_without_a_token_is_422_naming_it(client):
    assert_names_field(await client.post(REFRESH, json={}), "refresh_token")
    assert_names_field(await client.post(REFRESH, data={"other": "x"}), "refresh_token")


async def test_refresh_with_an_unknown_token_is_401(client):
    response = await client.post(REFRESH, json={"refresh_token": "never-issued"})
    assert_problem(response, 401, "invalid-token")


async def test_a_deactivated_user_cannot_refresh(client):
    admin = await make_user("admin")
    target = await make_user("admin")
    tokens = (await _login(client, target.email)).json()
    admin_token = (await _login(client, admin.email)).json()["access_token"]
    response = await client.patch(
        f"/api/v1/users/{target.id}", json={"is_active": False}, headers=bearer(admin_token)
    )
    assert response.status_code == 200, response.text
    refreshed = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert_problem(refreshed, 401, "invalid-token")


# --- logout -----------------------------------------------------------------------------


async def test_logout_ends_the_access_and_the_refresh_token(client):
    tokens = await _tokens(client)
    response = await client.post(
        LOGOUT,
        json={"refresh_token": tokens["refresh_token"]},
        headers=bearer(tokens["access_token"]),
    )
    assert response.status_code == 204, response.text
    assert_problem(await client.get(ME, headers=bearer(tokens["access_token"])), 401)
    refreshed = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert_problem(refreshed, 401, "invalid-token")


async def test_logout_with_the_access_token_alone_ends_its_refresh_token(client):
    tokens = await _tokens(client)
    response = await client.post(LOGOUT, headers=bearer(tokens["access_token"]))
    assert response.status_code == 204
    refreshed = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert_problem(refreshed, 401, "invalid-token")


async def test_logout_with_the_refresh_token_alone_ends_the_access_token(client):
    tokens = await _tokens(client)
    response = await client.post(LOGOUT, json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 204
    assert_problem(await client.get(ME, headers=bearer(tokens["access_token"])), 401)


async def test_logout_without_any_token_is_401(client):
    assert_problem(await client.post(LOGOUT), 401)


# --- lockout ----------------------------------------------------------------------------


async def test_ten_failures_lock_the_account_even_for_the_right_password(client):
    user = await make_user("admin")
    for _ in range(10):
        assert_problem(await _login(client, user.email, "wrong password!!"), 401)
    locked = await _login(client, user.email, PASSWORD)
    body = assert_problem(locked, 429, "too-many-requests")
    retry_after = int(locked.headers["retry-after"])
    assert 0 < retry_after <= 900
    assert str(retry_after) in body["detail"]
    en = await client.post(TOKEN, data={"username": user.email, "password": PASSWORD}, headers=EN)
    assert assert_problem(en, 429)["title"] == "Too many attempts"


async def test_nine_failures_do_not_lock_and_a_success_resets_the_count(client):
    user = await make_user("admin")
    for _ in range(9):
        await _login(client, user.email, "wrong password!!")
    assert (await _login(client, user.email)).status_code == 200
    for _ in range(9):
        await _login(client, user.email, "wrong password!!")
    assert (await _login(client, user.email)).status_code == 200


async def test_the_lockout_is_per_account(client):
    victim = await make_user("admin")
    bystander = await make_user("admin")
    for _ in range(10):
        await _login(client, victim.email, "wrong password!!")
    assert (await _login(client, bystander.email)).status_code == 200
    assert_problem(await _login(client, victim.email), 429)


async def test_the_lockout_holds_whatever_the_client_address(app, client):
    user = await make_user("admin")
    for _ in range(10):
        await _login(client, user.email, "wrong password!!")
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as elsewhere:
        assert_problem(await _login(elsewhere, user.email), 429)


async def test_an_unknown_email_locks_out_like_a_known_one(client):
    for _ in range(10):
        await _login(client, "ghost@example.org", "wrong password!!")
    assert_problem(await _login(client, "ghost@example.org"), 429)
