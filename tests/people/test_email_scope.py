"""Profile emails are unique within a hub and role, so a 409 never reveals another hub's people."""

from __future__ import annotations

import pytest

from tests.factories import login_as, make_hub
from tests.helpers import assert_problem
from tests.people.common import API, BODIES, create


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_an_email_of_another_hub_is_created(client, plural):
    hub_a, hub_b = await make_hub(), await make_hub()
    coord_a = await login_as(client, "coordinator", hub_a)
    coord_b = await login_as(client, "coordinator", hub_b)
    first = await create(client, plural, coord_a.headers, email="luc@example.org")
    again = await client.post(
        f"{API}/{plural}", json=BODIES[plural](email="Luc@Example.org"), headers=coord_b.headers
    )
    assert again.status_code == 201, again.text
    assert again.json()["email"] == first["email"] == "luc@example.org"
    assert again.json()["id"] != first["id"]
    # Each coordinator sees only their own hub's profile.
    listed = (await client.get(f"{API}/{plural}", headers=coord_b.headers)).json()["items"]
    assert [p["id"] for p in listed] == [again.json()["id"]]


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_the_same_email_in_the_same_hub_and_role_is_409(client, plural):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    await create(client, plural, coord.headers, email="marie@example.org")
    again = await client.post(
        f"{API}/{plural}", json=BODIES[plural](email="MARIE@example.org"), headers=coord.headers
    )
    assert_problem(again, 409, "already-exists")
    listed = (await client.get(f"{API}/{plural}", headers=coord.headers)).json()["items"]
    assert len(listed) == 1


async def test_renaming_to_an_email_of_another_hub_is_allowed(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    coord_a = await login_as(client, "coordinator", hub_a)
    coord_b = await login_as(client, "coordinator", hub_b)
    await create(client, "mentors", coord_a.headers, email="taken@example.org")
    mine = await create(client, "mentors", coord_b.headers)
    renamed = await client.patch(
        f"{API}/mentors/{mine['id']}", json={"email": "taken@example.org"}, headers=coord_b.headers
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["email"] == "taken@example.org"


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_moving_a_profile_checks_the_new_hubs_emails(client, plural):
    admin = await login_as(client, "admin")
    hub_a, hub_b, hub_c = await make_hub(), await make_hub(), await make_hub()
    moving = await create(
        client, plural, admin.headers, email="move@example.org", hub_id=str(hub_a.id)
    )
    await create(client, plural, admin.headers, email="move@example.org", hub_id=str(hub_b.id))
    url = f"{API}/{plural}/{moving['id']}"
    refused = await client.patch(url, json={"hub_id": str(hub_b.id)}, headers=admin.headers)
    assert_problem(refused, 409, "already-exists")
    unchanged = (await client.get(url, headers=admin.headers)).json()
    assert (unchanged["hub_id"], unchanged["version"]) == (str(hub_a.id), moving["version"])
    # A hub where the email is free takes the profile.
    moved = await client.patch(url, json={"hub_id": str(hub_c.id)}, headers=admin.headers)
    assert moved.status_code == 200, moved.text
    assert moved.json()["hub_id"] == str(hub_c.id)
    # Moving and renaming at once checks the new email in the new hub.
    both = await client.patch(
        url,
        json={"hub_id": str(hub_b.id), "email": "Move@example.org"},
        headers=admin.headers,
    )
    assert_problem(both, 409, "already-exists")
