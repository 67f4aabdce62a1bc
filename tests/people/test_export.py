"""A person's export: profile, account, consents, audit trail, and the export is itself audited."""

import pytest

from tests.factories import login_as, make_hub
from tests.helpers import assert_problem, new_api_client
from tests.people.common import API, create, person_login


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_staff_export_holds_everything_about_the_person(client, plural):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, account, me = await person_login(client, coord.headers, plural)
    url = f"{API}/{plural}/{profile['id']}"
    await client.patch(url, json={"first_name": "Geneviève"}, headers=me)
    await client.post(f"{url}/consent", json={"version": "2026-01"}, headers=me)
    await client.delete(f"{url}/consent", headers=me)
    await client.post(f"{url}/consent", json={"version": "2026-02"}, headers=coord.headers)
    response = await client.get(f"{url}/export", headers=coord.headers)
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["kind"] == plural.removesuffix("s")
    assert doc["exported_at"]
    assert doc["profile"]["id"] == profile["id"]
    assert doc["profile"]["first_name"] == "Geneviève"
    assert doc["profile"]["email"] == profile["email"]
    assert doc["profile"]["consent"]["version"] == "2026-02"
    assert doc["account"]["id"] == account["id"]
    assert doc["account"]["email"] == account["email"]
    assert doc["account"]["role"] == plural.removesuffix("s")
    assert "password_hash" not in doc["account"]
    assert [(c["action"], c["version"]) for c in doc["consents"]] == [
        ("consent_given", "2026-01"),
        ("consent_withdrawn", "2026-01"),
        ("consent_given", "2026-02"),
    ]
    assert doc["consents"][2]["recorded_by"] == {"type": "user", "id": str(coord.user.id)}
    assert doc["consents"][0]["recorded_by"] == {"type": "user", "id": account["id"]}
    actions = [e["action"] for e in doc["audit_events"]]
    assert actions[0] == "create"
    assert {"create", "update", "consent_given", "consent_withdrawn"} <= set(actions)
    # The account's own creation is about the person too.
    assert any(e["resource_id"] == account["id"] for e in doc["audit_events"])
    for section in ("matches", "sessions", "evaluations"):
        assert isinstance(doc[section], list)


async def test_export_is_audited(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    admin = await login_as(client, "admin")
    profile = await create(client, "mentees", coord.headers)
    response = await client.get(f"{API}/mentees/{profile['id']}/export", headers=coord.headers)
    assert response.status_code == 200
    assert response.json()["account"] is None
    events = await client.get(
        f"{API}/audit-events", params={"action": "export"}, headers=admin.headers
    )
    items = events.json()["items"]
    assert len(items) == 1
    assert items[0]["resource_id"] == profile["id"]
    assert items[0]["resource_type"] == "mentee"
    assert items[0]["actor"] == {"type": "user", "id": str(coord.user.id)}
    assert items[0]["hub_id"] == str(hub.id)
    second = await client.get(f"{API}/mentees/{profile['id']}/export", headers=admin.headers)
    assert "export" in [e["action"] for e in second.json()["audit_events"]]


async def test_person_exports_own_data_only(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, _, me = await person_login(client, coord.headers, "mentors")
    other = await create(client, "mentors", coord.headers)
    own = await client.get(f"{API}/mentors/{profile['id']}/export", headers=me)
    assert own.status_code == 200
    assert own.json()["profile"]["id"] == profile["id"]
    assert_problem(await client.get(f"{API}/mentors/{other['id']}/export", headers=me), 404)


async def test_api_client_cannot_export(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile = await create(client, "mentors", coord.headers)
    created = await new_api_client(client, coord.headers, hub.id, ("mentors:read",))
    token = await client.post(
        f"{API}/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created["client_id"],
            "client_secret": created["client_secret"],
        },
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    response = await client.get(f"{API}/mentors/{profile['id']}/export", headers=headers)
    assert_problem(response, 403)
