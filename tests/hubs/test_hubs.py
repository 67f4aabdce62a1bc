"""Hubs: admins open them, coordinators see and change only their own, a little."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import login_as, make_hub
from tests.helpers import assert_names_field, assert_problem

HUBS = "/api/v1/hubs"


def _new_hub(**fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "slug": f"pole-{uuid.uuid4().hex[:6]}",
        "name": "Pôle de l'Estrie",
        "regions": ["05"],
        "contact_email": "Estrie@Example.org",
    }
    body.update(fields)
    return body


async def test_an_admin_opens_a_hub(client):
    admin = await login_as(client, "admin")
    response = await client.post(
        HUBS, json=_new_hub(regions=["16", "05", "05"]), headers=admin.headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["regions"] == ["05", "16"]
    assert body["contact_email"] == "estrie@example.org"
    assert body["version"] == 1 and body["is_active"] is True
    assert body["matching_weights"]  # completed with the defaults
    assert response.headers["location"] == f"{HUBS}/{body['id']}"
    assert response.headers["etag"] == '"1"'


async def test_a_duplicate_slug_is_409(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    response = await client.post(HUBS, json=_new_hub(slug=hub.slug), headers=admin.headers)
    body = assert_problem(response, 409, "already-exists")
    assert "slug" in body["detail"]
    other = await make_hub()
    renamed = await client.patch(
        f"{HUBS}/{other.id}", json={"slug": hub.slug}, headers=admin.headers
    )
    assert_problem(renamed, 409, "already-exists")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", str(uuid.uuid4())),
        ("version", 3),
        ("created_at", "2026-01-01T00:00:00Z"),
        ("colour", "bleu"),
    ],
)
async def test_post_hubs_refuses_unknown_fields(client, field, value):
    admin = await login_as(client, "admin")
    response = await client.post(HUBS, json=_new_hub(**{field: value}), headers=admin.headers)
    assert_names_field(response, field)


@pytest.mark.parametrize(
    ("field", "value"),
    [("regions", ["99"]), ("slug", "Pas Un Slug"), ("contact_email", "pas-un-courriel")],
)
async def test_post_hubs_validates_fields(client, field, value):
    admin = await login_as(client, "admin")
    response = await client.post(HUBS, json=_new_hub(**{field: value}), headers=admin.headers)
    assert_names_field(response, field)


@pytest.mark.parametrize("role", ["coordinator", "mentor", "mentee"])
async def test_only_admins_open_hubs(client, role):
    caller = await login_as(client, role, await make_hub())
    assert_problem(await client.post(HUBS, json=_new_hub(), headers=caller.headers), 403)


async def test_a_coordinator_gets_404_on_another_hub(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    coordinator = await login_as(client, "coordinator", hub_a)
    response = await client.get(f"{HUBS}/{hub_b.id}", headers=coordinator.headers)
    assert_problem(response, 404, "not-found")
    missing = await client.get(f"{HUBS}/{uuid.uuid4()}", headers=coordinator.headers)
    assert missing.json() == response.json()
    patch = await client.patch(
        f"{HUBS}/{hub_b.id}", json={"name": "X"}, headers=coordinator.headers
    )
    assert_problem(patch, 404)
    listed = await client.get(HUBS, headers=coordinator.headers)
    assert [h["id"] for h in listed.json()["items"]] == [str(hub_a.id)]


async def test_admin_lists_every_hub(client):
    admin = await login_as(client, "admin")
    hubs = [await make_hub() for _ in range(3)]
    response = await client.get(HUBS, headers=admin.headers)
    assert {h["id"] for h in response.json()["items"]} == {str(h.id) for h in hubs}


@pytest.mark.parametrize("role", ["mentor", "mentee"])
async def test_people_do_not_see_hubs(client, role):
    hub = await make_hub()
    person = await login_as(client, role, hub)
    assert_problem(await client.get(HUBS, headers=person.headers), 403)
    assert_problem(await client.get(f"{HUBS}/{hub.id}", headers=person.headers), 404)
    patch = await client.patch(f"{HUBS}/{hub.id}", json={"name": "X"}, headers=person.headers)
    assert_problem(patch, 404)


async def test_a_coordinator_changes_name_and_contact_of_their_hub(client):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    response = await client.patch(
        f"{HUBS}/{hub.id}",
        json={"name": "Nouveau nom", "contact_email": "Pole@Example.org"},
        headers=coordinator.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Nouveau nom"
    assert response.json()["contact_email"] == "pole@example.org"
    assert response.json()["version"] == 2


@pytest.mark.parametrize(
    ("field", "value"), [("slug", "autre-slug"), ("regions", ["01"]), ("is_active", False)]
)
async def test_a_coordinator_cannot_change_admin_fields(client, field, value):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    response = await client.patch(
        f"{HUBS}/{hub.id}", json={field: value}, headers=coordinator.headers
    )
    assert_names_field(response, field)
    after = await client.get(f"{HUBS}/{hub.id}", headers=coordinator.headers)
    assert after.json()["version"] == 1


@pytest.mark.parametrize("field", ["id", "version", "updated_at"])
async def test_nobody_patches_id_or_version(client, field):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    response = await client.patch(f"{HUBS}/{hub.id}", json={field: 9}, headers=admin.headers)
    assert_names_field(response, field)


async def test_a_null_value_is_refused(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    response = await client.patch(f"{HUBS}/{hub.id}", json={"name": None}, headers=admin.headers)
    assert_names_field(response, "name")


async def test_if_match_guards_hub_changes(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    read = await client.get(f"{HUBS}/{hub.id}", headers=admin.headers)
    etag = read.headers["etag"]
    assert etag == '"1"'
    ok = await client.patch(
        f"{HUBS}/{hub.id}", json={"name": "Un"}, headers={**admin.headers, "If-Match": etag}
    )
    assert ok.status_code == 200, ok.text
    assert ok.headers["etag"] == '"2"'
    stale = await client.patch(
        f"{HUBS}/{hub.id}", json={"name": "Deux"}, headers={**admin.headers, "If-Match": etag}
    )
    body = assert_problem(stale, 412, "precondition-failed")
    assert "2" in body["detail"]
    current = await client.get(f"{HUBS}/{hub.id}", headers=admin.headers)
    assert current.json()["name"] == "Un"
    no_header = await client.patch(
        f"{HUBS}/{hub.id}", json={"name": "Trois"}, headers=admin.headers
    )
    assert no_header.status_code == 200


async def test_an_admin_deactivates_a_hub(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    response = await client.patch(
        f"{HUBS}/{hub.id}",
        json={"is_active": False, "regions": ["01", "02"]},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["is_active"] is False
    active = await client.get(HUBS, params={"is_active": "true"}, headers=admin.headers)
    assert str(hub.id) not in {h["id"] for h in active.json()["items"]}
    by_region = await client.get(HUBS, params={"region": "02"}, headers=admin.headers)
    assert [h["id"] for h in by_region.json()["items"]] == [str(hub.id)]
