"""The audit log: written for each change to a profile, read by admins only."""

from tests.factories import login_as, make_hub
from tests.helpers import assert_names_field, assert_problem
from tests.people.common import API, create


async def test_every_profile_action_is_audited(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    admin = await login_as(client, "admin")
    profile = await create(client, "mentors", coord.headers)
    url = f"{API}/mentors/{profile['id']}"
    patched = await client.patch(
        url,
        json={"status": "active", "bio": "x"},
        headers={**coord.headers, "X-Request-ID": "req-42"},
    )
    assert patched.status_code == 200
    await client.post(f"{url}/consent", json={"version": "2026-01"}, headers=coord.headers)
    await client.get(f"{url}/export", headers=coord.headers)
    await client.delete(url, headers=coord.headers)
    response = await client.get(
        f"{API}/audit-events",
        params={"resource_id": profile["id"], "sort": "at"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    events = response.json()["items"]
    assert [e["action"] for e in events] == [
        "create",
        "update",
        "consent_given",
        "export",
        "anonymise",
    ]
    for event in events:
        assert event["actor"] == {"type": "user", "id": str(coord.user.id)}
        assert event["resource_type"] == "mentor"
        assert event["hub_id"] == str(hub.id)
        assert event["request_id"]
    update = events[1]
    assert update["details"]["fields"] == ["bio", "status"]
    assert update["request_id"] == "req-42"
    # Personal data never lands in the log.
    assert "Véronique" not in response.text
    assert profile["email"] not in response.text


async def test_audit_log_is_admin_only(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await login_as(client, "mentor", hub)
    assert_problem(await client.get(f"{API}/audit-events", headers=coord.headers), 403)
    assert_problem(await client.get(f"{API}/audit-events", headers=mentor.headers), 403)
    assert (await client.get(f"{API}/audit-events")).status_code == 401
    admin = await login_as(client, "admin")
    post = await client.post(f"{API}/audit-events", json={}, headers=admin.headers)
    assert post.status_code == 405


async def test_audit_filters_and_pagination(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    coord_a = await login_as(client, "coordinator", hub_a)
    coord_b = await login_as(client, "coordinator", hub_b)
    admin = await login_as(client, "admin")
    in_a = [await create(client, "mentors", coord_a.headers) for _ in range(3)]
    await create(client, "mentees", coord_b.headers)
    url = f"{API}/audit-events"
    by_hub = await client.get(
        url, params={"hub_id": str(hub_a.id), "action": "create"}, headers=admin.headers
    )
    assert {e["resource_id"] for e in by_hub.json()["items"]} == {m["id"] for m in in_a}
    by_type = await client.get(url, params={"resource_type": "mentee"}, headers=admin.headers)
    assert [e["hub_id"] for e in by_type.json()["items"]] == [str(hub_b.id)]
    by_actor = await client.get(
        url, params={"actor_id": str(coord_b.user.id)}, headers=admin.headers
    )
    assert len(by_actor.json()["items"]) == 1
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "resource_type": "mentor", "include_total": "true"}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(url, params=params, headers=admin.headers)).json()
        assert page["total"] == 3
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 3
    newest_first = (
        await client.get(url, params={"resource_type": "mentor"}, headers=admin.headers)
    ).json()
    stamps = [e["at"] for e in newest_first["items"]]
    assert stamps == sorted(stamps, reverse=True)
    future = await client.get(url, params={"from": "2999-01-01T00:00:00Z"}, headers=admin.headers)
    assert future.json()["items"] == []
    past = await client.get(url, params={"to": "2000-01-01T00:00:00Z"}, headers=admin.headers)
    assert past.json()["items"] == []
    assert_names_field(await client.get(url, params={"limit": 0}, headers=admin.headers), "limit")
