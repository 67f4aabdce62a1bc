"""Partner hubs' API clients: created by staff, client-credentials grant, own hub only."""

from __future__ import annotations

import base64
import uuid

from tests.factories import bearer, login_as, make_hub
from tests.helpers import assert_names_field, assert_problem, new_api_client

TOKEN = "/api/v1/auth/token"


def _clients(hub_id: object) -> str:
    return f"/api/v1/hubs/{hub_id}/api-clients"


async def _grant(client, client_id: str, secret: str):  # type: ignore[no-untyped-def]
    return await client.post(
        TOKEN,
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )


async def test_creating_an_api_client_shows_the_secret_once(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    created = await new_api_client(client, admin.headers, hub.id, ("mentors:read", "matches:read"))
    for key in ("id", "client_id", "client_secret", "name", "scopes", "created_at"):
        assert created[key], key
    assert created["scopes"] == ["mentors:read", "matches:read"]
    listed = await client.get(_clients(hub.id), headers=admin.headers)
    assert listed.status_code == 200
    [entry] = listed.json()["items"]
    assert listed.json()["next_cursor"] is None
    assert entry["id"] == created["id"] and entry["client_id"] == created["client_id"]
    assert "client_secret" not in entry
    assert created["client_secret"] not in listed.text


async def test_the_clients_are_listed_a_page_at_a_time_like_every_list(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    made = [await new_api_client(client, admin.headers, hub.id) for _ in range(3)]
    first = await client.get(
        _clients(hub.id) + "?limit=2&include_total=true", headers=admin.headers
    )
    assert first.status_code == 200
    assert first.json()["total"] == 3
    assert [c["id"] for c in first.json()["items"]] == [c["id"] for c in made[:2]]
    cursor = first.json()["next_cursor"]
    rest = await client.get(_clients(hub.id), params={"cursor": cursor}, headers=admin.headers)
    assert [c["id"] for c in rest.json()["items"]] == [made[2]["id"]]
    assert rest.json()["next_cursor"] is None
    newest = await client.get(_clients(hub.id) + "?sort=-created_at", headers=admin.headers)
    assert [c["id"] for c in newest.json()["items"]] == [c["id"] for c in reversed(made)]
    for bad in ("limit=0", "limit=201", "sort=name", "cursor=forged"):
        r = await client.get(_clients(hub.id) + "?" + bad, headers=admin.headers)
        assert_problem(r, 422, "validation-error")


async def test_unknown_scopes_and_fields_are_422(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    bad_scope = await client.post(
        _clients(hub.id), json={"name": "X", "scopes": ["everything"]}, headers=admin.headers
    )
    assert_names_field(bad_scope, "scopes")
    extra = await client.post(
        _clients(hub.id),
        json={"name": "X", "scopes": ["mentors:read"], "client_secret": "mine"},
        headers=admin.headers,
    )
    assert_names_field(extra, "client_secret")


async def test_the_grant_gives_a_token_for_the_own_hub_only(client):
    admin = await login_as(client, "admin")
    hub, other = await make_hub(), await make_hub()
    created = await new_api_client(client, admin.headers, hub.id)
    response = await _grant(client, created["client_id"], created["client_secret"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    assert "refresh_token" not in body
    headers = bearer(body["access_token"])
    own = await client.get(f"/api/v1/hubs/{hub.id}", headers=headers)
    assert own.status_code == 200 and own.json()["id"] == str(hub.id)
    assert_problem(await client.get(f"/api/v1/hubs/{other.id}", headers=headers), 404)
    listed = await client.get("/api/v1/hubs", headers=headers)
    assert [h["id"] for h in listed.json()["items"]] == [str(hub.id)]


async def test_http_basic_works_too(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    created = await new_api_client(client, admin.headers, hub.id)
    pair = f"{created['client_id']}:{created['client_secret']}".encode()
    response = await client.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {base64.b64encode(pair).decode()}"},
    )
    assert response.status_code == 200, response.text


async def test_a_wrong_secret_or_unknown_client_is_the_same_401(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    created = await new_api_client(client, admin.headers, hub.id)
    wrong = await _grant(client, created["client_id"], "not-the-secret")
    unknown = await _grant(client, "mc_nobody", created["client_secret"])
    assert_problem(wrong, 401, "invalid-client")
    assert wrong.json() == unknown.json()
    missing = await client.post(TOKEN, data={"grant_type": "client_credentials"})
    assert_problem(missing, 401, "invalid-client")


async def test_after_delete_the_token_stops_working(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    created = await new_api_client(client, admin.headers, hub.id)
    token = (await _grant(client, created["client_id"], created["client_secret"])).json()
    headers = bearer(token["access_token"])
    assert (await client.get(f"/api/v1/hubs/{hub.id}", headers=headers)).status_code == 200
    deleted = await client.delete(f"{_clients(hub.id)}/{created['id']}", headers=admin.headers)
    assert deleted.status_code == 204
    assert_problem(await client.get(f"/api/v1/hubs/{hub.id}", headers=headers), 401)
    regrant = await _grant(client, created["client_id"], created["client_secret"])
    assert_problem(regrant, 401, "invalid-client")
    assert (await client.get(_clients(hub.id), headers=admin.headers)).json()["items"] == []
    again = await client.delete(f"{_clients(hub.id)}/{created['id']}", headers=admin.headers)
    assert_problem(again, 404)


async def test_a_deactivated_hub_stops_its_clients(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    created = await new_api_client(client, admin.headers, hub.id)
    token = (await _grant(client, created["client_id"], created["client_secret"])).json()
    await client.patch(f"/api/v1/hubs/{hub.id}", json={"is_active": False}, headers=admin.headers)
    response = await client.get(f"/api/v1/hubs/{hub.id}", headers=bearer(token["access_token"]))
    assert_problem(response, 401)


async def test_a_coordinator_manages_the_clients_of_their_hub_only(client):
    hub, other = await make_hub(), await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    await new_api_client(client, coordinator.headers, hub.id)
    body = {"name": "X", "scopes": ["mentors:read"]}
    outside = await client.post(_clients(other.id), json=body, headers=coordinator.headers)
    assert_problem(outside, 404)
    assert_problem(await client.get(_clients(other.id), headers=coordinator.headers), 404)
    admin = await login_as(client, "admin")
    theirs = await new_api_client(client, admin.headers, other.id)
    delete = await client.delete(
        f"{_clients(other.id)}/{theirs['id']}", headers=coordinator.headers
    )
    assert_problem(delete, 404)
    # Deleting through one's own hub does not reach another hub's client either.
    sideways = await client.delete(
        f"{_clients(hub.id)}/{theirs['id']}", headers=coordinator.headers
    )
    assert_problem(sideways, 404)


async def test_people_and_clients_cannot_manage_clients(client):
    hub = await make_hub()
    mentor = await login_as(client, "mentor", hub)
    body = {"name": "X", "scopes": ["mentors:read"]}
    assert_problem(await client.post(_clients(hub.id), json=body, headers=mentor.headers), 404)
    admin = await login_as(client, "admin")
    created = await new_api_client(client, admin.headers, hub.id)
    token = (await _grant(client, created["client_id"], created["client_secret"])).json()
    headers = bearer(token["access_token"])
    # Routes closed to API clients are 403 for them (issue 9), never 404.
    assert_problem(await client.post(_clients(hub.id), json=body, headers=headers), 403)
    assert_problem(await client.get("/api/v1/users", headers=headers), 403)
    assert_problem(await client.get(f"/api/v1/users/{uuid.uuid4()}", headers=headers), 403)
