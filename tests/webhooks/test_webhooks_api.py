"""/webhooks: who manages them, what is accepted, and the secret shown once."""

from __future__ import annotations

import uuid

import pytest

from app.core.config import get_settings
from app.webhooks import urls
from tests.factories import login_as, make_hub
from tests.helpers import EN, assert_names_field, assert_problem, client_token, new_api_client
from tests.webhooks.common import API, create_webhook

EVENTS = ["mentee.created", "match.proposed"]


async def test_staff_create_read_change_and_remove_a_webhook(client, receiver):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    created = await create_webhook(
        client, staff.headers, receiver.url, EVENTS, description="CRM du pôle"
    )
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["hub_id"] == str(hub.id)
    assert created["events"] == EVENTS
    assert created["is_active"] is True and created["version"] == 1

    read = await client.get(f"{API}/webhooks/{created['id']}", headers=staff.headers)
    assert read.status_code == 200
    assert "secret" not in read.json()
    assert read.headers["etag"] == '"1"'
    listed = await client.get(f"{API}/webhooks", headers=staff.headers)
    assert [w["id"] for w in listed.json()["items"]] == [created["id"]]
    assert "secret" not in listed.json()["items"][0]

    stale = await client.patch(
        f"{API}/webhooks/{created['id']}",
        json={"is_active": False},
        headers={**staff.headers, "If-Match": '"7"'},
    )
    assert_problem(stale, 412)
    changed = await client.patch(
        f"{API}/webhooks/{created['id']}",
        json={"is_active": False, "events": ["session.held"]},
        headers={**staff.headers, "If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["is_active"] is False
    assert changed.json()["events"] == ["session.held"]
    assert changed.json()["version"] == 2

    removed = await client.delete(f"{API}/webhooks/{created['id']}", headers=staff.headers)
    assert removed.status_code == 204
    gone = await client.get(f"{API}/webhooks/{created['id']}", headers=staff.headers)
    assert_problem(gone, 404)


async def test_admins_name_the_hub_and_others_cannot(client, receiver):
    hub = await make_hub()
    other = await make_hub()
    admin = await login_as(client, "admin")
    missing = await client.post(
        f"{API}/webhooks", json={"url": receiver.url, "events": EVENTS}, headers=admin.headers
    )
    assert_names_field(missing, "hub_id")
    unknown = await client.post(
        f"{API}/webhooks",
        json={"url": receiver.url, "events": EVENTS, "hub_id": str(uuid.uuid4())},
        headers=admin.headers,
    )
    assert_names_field(unknown, "hub_id")
    made = await create_webhook(client, admin.headers, receiver.url, EVENTS, hub_id=str(hub.id))
    assert made["hub_id"] == str(hub.id)

    staff = await login_as(client, "coordinator", hub)
    elsewhere = await client.post(
        f"{API}/webhooks",
        json={"url": receiver.url, "events": EVENTS, "hub_id": str(other.id)},
        headers=staff.headers,
    )
    assert_names_field(elsewhere, "hub_id")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": EVENTS}, "url"),
        ({"url": "http://127.0.0.1:9/x"}, "events"),
        ({"url": "http://127.0.0.1:9/x", "events": []}, "events"),
        ({"url": "http://127.0.0.1:9/x", "events": ["user.invited"]}, "events"),
        ({"url": "http://127.0.0.1:9/x", "events": ["match.exploded"]}, "events"),
        ({"url": "ftp://example.org/x", "events": EVENTS}, "url"),
        ({"url": "not a url", "events": EVENTS}, "url"),
        ({"url": "https://user:pw@example.org/x", "events": EVENTS}, "url"),
        ({"url": "https://example.org/x", "events": EVENTS, "secret": "whsec_x"}, "secret"),
        ({"url": "https://example.org/x", "events": EVENTS, "id": str(uuid.uuid4())}, "id"),
    ],
)
async def test_a_bad_body_is_a_422_naming_the_field_and_creates_nothing(
    client, receiver, body, field
):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    response = await client.post(f"{API}/webhooks", json=body, headers=staff.headers)
    assert_names_field(response, field)
    listed = await client.get(f"{API}/webhooks", headers=staff.headers)
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.5.4/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://[::1]/hook",
        "http://[fd00:ec2::254]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://224.0.0.1/hook",
        "http://0.0.0.0/hook",
    ],
)
async def test_private_and_metadata_addresses_are_refused_at_creation(client, url):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    response = await client.post(
        f"{API}/webhooks", json={"url": url, "events": EVENTS}, headers=staff.headers
    )
    body = assert_names_field(response, "url")
    assert any("priv" in e["msg"] or "réserv" in e["msg"] for e in body["errors"]), body
    english = await client.post(
        f"{API}/webhooks", json={"url": url, "events": EVENTS}, headers={**staff.headers, **EN}
    )
    assert any("private" in e["msg"] for e in assert_names_field(english, "url")["errors"])


async def test_a_change_of_url_is_checked_too(client, receiver, monkeypatch):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    made = await create_webhook(client, staff.headers, "https://93.184.215.14/hook", EVENTS)
    monkeypatch.setenv("MENTORAT_WEBHOOK_ALLOW_PRIVATE", "false")
    get_settings.cache_clear()
    response = await client.patch(
        f"{API}/webhooks/{made['id']}",
        json={"url": "http://169.254.169.254/latest"},
        headers=staff.headers,
    )
    assert_names_field(response, "url")
    read = await client.get(f"{API}/webhooks/{made['id']}", headers=staff.headers)
    assert read.json()["url"] == "https://93.184.215.14/hook"


async def test_a_public_address_is_accepted_without_the_private_switch(client):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    made = await create_webhook(client, staff.headers, "https://93.184.215.14/hook", EVENTS)
    assert made["url"] == "https://93.184.215.14/hook"


async def test_production_accepts_only_https(monkeypatch):
    production = get_settings().model_copy(update={"env": "production"})
    monkeypatch.setattr(urls, "get_settings", lambda: production)
    with pytest.raises(urls.UnsafeUrl) as refused:
        urls.parse("http://crm.example.org/hook")
    assert refused.value.reason == "scheme"
    assert urls.parse("https://crm.example.org/hook").port == 443


async def test_partners_need_the_scope_and_reach_only_their_hub(client, receiver):
    hub = await make_hub()
    other = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    other_staff = await login_as(client, "coordinator", other)
    foreign = await create_webhook(client, other_staff.headers, receiver.url, EVENTS)

    allowed = await new_api_client(client, staff.headers, hub.id, scopes=("webhooks:manage",))
    token = (
        await client.post(
            f"{API}/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": allowed["client_id"],
                "client_secret": allowed["client_secret"],
            },
        )
    ).json()["access_token"]
    partner = {"Authorization": f"Bearer {token}"}
    mine = await create_webhook(client, partner, receiver.url, EVENTS)
    assert mine["hub_id"] == str(hub.id)
    listed = await client.get(f"{API}/webhooks", headers=partner)
    assert [w["id"] for w in listed.json()["items"]] == [mine["id"]]
    for method, path in (
        ("GET", f"/webhooks/{foreign['id']}"),
        ("PATCH", f"/webhooks/{foreign['id']}"),
        ("DELETE", f"/webhooks/{foreign['id']}"),
        ("GET", f"/webhooks/{foreign['id']}/deliveries"),
        ("POST", f"/webhooks/{foreign['id']}/deliveries/{uuid.uuid4()}/redeliver"),
    ):
        body = {"description": "x"} if method == "PATCH" else None
        response = await client.request(method, API + path, json=body, headers=partner)
        assert_problem(response, 404)

    # Without `webhooks:manage`: 403 on every webhook route, never an empty list or a 404.
    unscoped = {"Authorization": f"Bearer {await client_token(client, staff.headers, hub.id)}"}
    for method, path in (
        ("GET", "/webhooks"),
        ("POST", "/webhooks"),
        ("GET", f"/webhooks/{mine['id']}"),
        ("PATCH", f"/webhooks/{mine['id']}"),
        ("DELETE", f"/webhooks/{mine['id']}"),
        ("GET", f"/webhooks/{mine['id']}/deliveries"),
        ("POST", f"/webhooks/{mine['id']}/deliveries/{uuid.uuid4()}/redeliver"),
    ):
        body = {} if method in ("POST", "PATCH") else None
        response = await client.request(method, API + path, json=body, headers=unscoped)
        problem = assert_problem(response, 403)
        assert "webhooks:manage" in problem["detail"]

    # Revoking the client ends its access at once.
    revoked = await client.delete(
        f"{API}/hubs/{hub.id}/api-clients/{allowed['id']}", headers=staff.headers
    )
    assert revoked.status_code == 204
    assert_problem(await client.get(f"{API}/webhooks", headers=partner), 401)


async def test_mentors_and_mentees_manage_no_webhooks(client, receiver):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    made = await create_webhook(client, staff.headers, receiver.url, EVENTS)
    for role in ("mentor", "mentee"):
        person = await login_as(client, role, hub)
        assert_problem(await client.get(f"{API}/webhooks", headers=person.headers), 403)
        created = await client.post(
            f"{API}/webhooks",
            json={"url": receiver.url, "events": EVENTS},
            headers=person.headers,
        )
        assert_problem(created, 403)
        read = await client.get(f"{API}/webhooks/{made['id']}", headers=person.headers)
        assert_problem(read, 404)


async def test_the_reference_lists_the_event_types(client):
    response = await client.get(f"{API}/reference", headers=EN)
    codes = [item["code"] for item in response.json()["webhook_event_types"]]
    assert "match.proposed" in codes and "evaluation.submitted" in codes
    assert "user.invited" not in codes
