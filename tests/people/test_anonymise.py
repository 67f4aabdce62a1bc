"""Anonymisation: irreversible, the row stays, nothing personal can be found again."""

import pytest

from tests.factories import PASSWORD, login_as, make_hub
from tests.helpers import assert_problem
from tests.people.common import API, create, ids, person_login


async def test_anonymised_mentee_keeps_row_but_loses_personal_data(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, account, me = await person_login(
        client,
        coord.headers,
        "mentees",
        first_name="Véronique",
        last_name="Lapointe",
        email="v.lapointe@coop.example",
        organization_name="Coop de Québec",
        status="waiting",
    )
    url = f"{API}/mentees/{profile['id']}"
    await client.post(f"{url}/consent", json={"version": "2026-01"}, headers=me)
    deleted = await client.delete(url, headers=coord.headers)
    assert deleted.status_code == 204
    assert deleted.content == b""
    shown = await client.get(url, headers=coord.headers)
    assert shown.status_code == 200
    body = shown.json()
    assert body["first_name"] != "Véronique" and body["last_name"] != "Lapointe"
    assert "lapointe" not in body["email"]
    assert body["email"].endswith(".invalid")
    assert body["phone"] is None
    assert body["goals"] is None
    assert body["role_title"] is None
    assert "Québec" not in body["organization_name"]
    assert body["consent"] is None
    assert body["anonymised_at"] is not None
    # Kept so that counts and reports stay true.
    assert (body["region"], body["sector"], body["status"]) == ("01", "agri_food", "waiting")
    assert body["version"] > profile["version"]
    listing = f"{API}/mentees"
    for query in ["v.lapointe@coop.example", "veronique", "lapointe", "quebec"]:
        assert await ids(client, listing, coord.headers, q=query) == set(), query
    assert await ids(client, listing, coord.headers, include_total="true") == {profile["id"]}
    login = await client.post(
        f"{API}/auth/token", data={"username": account["email"], "password": PASSWORD}
    )
    assert login.status_code == 401
    assert (await client.get(url, headers=me)).status_code == 401


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_anonymised_profile_no_longer_changes(client, plural):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile = await create(client, plural, coord.headers)
    url = f"{API}/{plural}/{profile['id']}"
    assert (await client.delete(url, headers=coord.headers)).status_code == 204
    patch = await client.patch(url, json={"first_name": "Retour"}, headers=coord.headers)
    assert_problem(patch, 409, "profile-anonymised")
    consent = await client.post(f"{url}/consent", json={"version": "v"}, headers=coord.headers)
    assert_problem(consent, 409, "profile-anonymised")
    again = await client.delete(url, headers=coord.headers)
    assert again.status_code == 204
    assert (await client.get(url, headers=coord.headers)).json()["first_name"] == "Anonyme"


async def test_anonymised_mentor_erases_bio_and_conflicts(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile = await create(
        client,
        "mentors",
        coord.headers,
        excluded_organizations=["Coop de mon beau-frère"],
        email="mentor.public@example.org",
    )
    url = f"{API}/mentors/{profile['id']}"
    await client.delete(url, headers=coord.headers)
    body = (await client.get(url, headers=coord.headers)).json()
    assert body["bio"] is None
    assert body["excluded_organizations"] == []
    assert body["phone"] is None
    assert body["expertise"] == profile["expertise"]
    # The old email is free again: a returning person can be registered anew.
    again = await create(client, "mentors", coord.headers, email="mentor.public@example.org")
    assert again["id"] != profile["id"]
    found = await ids(client, f"{API}/mentors", coord.headers, q="mentor.public")
    assert found == {again["id"]}


async def test_only_staff_anonymise(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, _, me = await person_login(client, coord.headers, "mentees")
    other = await create(client, "mentees", coord.headers)
    assert_problem(await client.delete(f"{API}/mentees/{profile['id']}", headers=me), 403)
    assert_problem(await client.delete(f"{API}/mentees/{other['id']}", headers=me), 404)
    assert (await client.get(f"{API}/mentees/{profile['id']}", headers=me)).status_code == 200
