"""Mentor and mentee accounts link to a profile of their kind and hub, once."""

from tests.factories import PASSWORD, login_as, make_hub, token_for
from tests.helpers import assert_names_field, assert_problem
from tests.people.common import API, create, link_account


def _account(role, profile_id, **extra):
    body = {
        "email": f"{role}-{profile_id[:8]}@example.org",
        "full_name": "Personne Test",
        "role": role,
        "profile_id": profile_id,
        "password": PASSWORD,
    }
    body.update(extra)
    return body


async def test_linked_account_reaches_its_profile(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile = await create(client, "mentees", coord.headers)
    account = await link_account(client, coord.headers, "mentees", profile)
    assert account["profile_id"] == profile["id"]
    assert account["hub_id"] == str(hub.id)
    token = await token_for(client, account["email"])
    me = await client.get(f"{API}/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["profile_id"] == profile["id"]


async def test_second_account_on_same_profile_is_409(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile = await create(client, "mentors", coord.headers)
    await link_account(client, coord.headers, "mentors", profile)
    again = await client.post(
        f"{API}/users",
        json=_account("mentor", profile["id"], email="autre@example.org"),
        headers=coord.headers,
    )
    assert_problem(again, 409, "profile-already-linked")


async def test_wrong_kind_missing_or_other_hub_is_422(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    coord_a = await login_as(client, "coordinator", hub_a)
    coord_b = await login_as(client, "coordinator", hub_b)
    mentee = await create(client, "mentees", coord_a.headers)
    wrong_kind = await client.post(
        f"{API}/users", json=_account("mentor", mentee["id"]), headers=coord_a.headers
    )
    assert_names_field(wrong_kind, "profile_id")
    missing = await client.post(
        f"{API}/users",
        json={k: v for k, v in _account("mentee", mentee["id"]).items() if k != "profile_id"},
        headers=coord_a.headers,
    )
    assert_names_field(missing, "profile_id")
    theirs = await create(client, "mentees", coord_b.headers)
    other_hub = await client.post(
        f"{API}/users", json=_account("mentee", theirs["id"]), headers=coord_a.headers
    )
    assert_names_field(other_hub, "profile_id")


async def test_admin_moving_a_profile_moves_its_account(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    admin = await login_as(client, "admin")
    coord_b = await login_as(client, "coordinator", hub_b)
    profile = await create(client, "mentors", admin.headers, hub_id=str(hub_a.id))
    account = await link_account(client, admin.headers, "mentors", profile)
    moved = await client.patch(
        f"{API}/mentors/{profile['id']}", json={"hub_id": str(hub_b.id)}, headers=admin.headers
    )
    assert moved.status_code == 200, moved.text
    seen = await client.get(f"{API}/users/{account['id']}", headers=coord_b.headers)
    assert seen.status_code == 200, seen.text
    assert seen.json()["hub_id"] == str(hub_b.id)
    token = await token_for(client, account["email"])
    own = await client.get(
        f"{API}/mentors/{profile['id']}", headers={"Authorization": f"Bearer {token}"}
    )
    assert own.status_code == 200
