"""Who reaches which profile: other hubs, other people, API clients (outside reach is 404)."""

import pytest

from tests.factories import bearer, login_as, make_hub
from tests.helpers import assert_names_field, assert_problem, new_api_client
from tests.people.common import API, create, ids, mentee_body, mentor_body, person_login


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_coordinator_gets_404_on_other_hub(client, plural):
    hub_a, hub_b = await make_hub(), await make_hub()
    coord_a = await login_as(client, "coordinator", hub_a)
    coord_b = await login_as(client, "coordinator", hub_b)
    theirs = await create(client, plural, coord_b.headers)
    url = f"{API}/{plural}/{theirs['id']}"
    h = coord_a.headers
    for response in [
        await client.get(url, headers=h),
        await client.patch(url, json={"first_name": "Intrus"}, headers=h),
        await client.delete(url, headers=h),
        await client.get(f"{url}/export", headers=h),
        await client.post(f"{url}/consent", json={"version": "2026-01"}, headers=h),
        await client.delete(f"{url}/consent", headers=h),
    ]:
        assert_problem(response, 404, "not-found")
    assert await ids(client, f"{API}/{plural}", h) == set()
    unchanged = (await client.get(url, headers=coord_b.headers)).json()
    assert unchanged["first_name"] == theirs["first_name"]
    assert unchanged["version"] == 1
    assert unchanged["consent"] is None


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_creating_in_another_hub_is_422_on_hub_id(client, plural):
    hub_a, hub_b = await make_hub(), await make_hub()
    coord_a = await login_as(client, "coordinator", hub_a)
    body = {"mentors": mentor_body, "mentees": mentee_body}[plural](hub_id=str(hub_b.id))
    response = await client.post(f"{API}/{plural}", json=body, headers=coord_a.headers)
    assert_names_field(response, "hub_id")
    missing = {"mentors": mentor_body, "mentees": mentee_body}[plural](
        hub_id="00000000-0000-0000-0000-000000000042"
    )
    response = await client.post(f"{API}/{plural}", json=missing, headers=coord_a.headers)
    assert_names_field(response, "hub_id")
    own = await create(client, plural, coord_a.headers, hub_id=str(hub_a.id))
    assert own["hub_id"] == str(hub_a.id)


async def test_coordinator_cannot_move_profile_to_another_hub(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    coord_a = await login_as(client, "coordinator", hub_a)
    mentor = await create(client, "mentors", coord_a.headers)
    response = await client.patch(
        f"{API}/mentors/{mentor['id']}", json={"hub_id": str(hub_b.id)}, headers=coord_a.headers
    )
    assert_names_field(response, "hub_id")


async def test_admin_reaches_every_hub(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    admin = await login_as(client, "admin")
    coord_b = await login_as(client, "coordinator", hub_b)
    theirs = await create(client, "mentees", coord_b.headers)
    got = await client.get(f"{API}/mentees/{theirs['id']}", headers=admin.headers)
    assert got.status_code == 200
    moved = await client.patch(
        f"{API}/mentees/{theirs['id']}", json={"hub_id": str(hub_a.id)}, headers=admin.headers
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["hub_id"] == str(hub_a.id)
    gone = await client.get(f"{API}/mentees/{theirs['id']}", headers=coord_b.headers)
    assert_problem(gone, 404)


async def test_mentor_sees_no_other_mentor_and_no_mentee(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mine, _, me = await person_login(client, coord.headers, "mentors")
    other_mentor = await create(client, "mentors", coord.headers)
    mentee = await create(client, "mentees", coord.headers)
    for url in [
        f"{API}/mentors/{other_mentor['id']}",
        f"{API}/mentees/{mentee['id']}",
        f"{API}/mentees/{mentee['id']}/export",
    ]:
        assert_problem(await client.get(url, headers=me), 404)
    patch = await client.patch(f"{API}/mentees/{mentee['id']}", json={"goals": "x"}, headers=me)
    assert_problem(patch, 404)
    consent = await client.post(
        f"{API}/mentors/{other_mentor['id']}/consent", json={"version": "v1"}, headers=me
    )
    assert_problem(consent, 404)
    assert await ids(client, f"{API}/mentors", me) == {mine["id"]}
    assert await ids(client, f"{API}/mentees", me) == set()


async def test_mentee_sees_no_mentor_and_no_other_mentee(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mine, _, me = await person_login(client, coord.headers, "mentees")
    mentor = await create(client, "mentors", coord.headers)
    other = await create(client, "mentees", coord.headers)
    assert_problem(await client.get(f"{API}/mentors/{mentor['id']}", headers=me), 404)
    assert_problem(await client.get(f"{API}/mentees/{other['id']}", headers=me), 404)
    assert await ids(client, f"{API}/mentees", me) == {mine["id"]}
    assert await ids(client, f"{API}/mentors", me) == set()


async def test_unlinked_mentor_account_sees_nothing(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    await create(client, "mentors", coord.headers)
    loose = await login_as(client, "mentor", hub)
    assert await ids(client, f"{API}/mentors", loose.headers) == set()


async def _api_client_headers(client, coord_headers, hub_id, scopes):
    created = await new_api_client(client, coord_headers, hub_id, scopes)
    response = await client.post(
        f"{API}/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created["client_id"],
            "client_secret": created["client_secret"],
        },
    )
    assert response.status_code == 200, response.text
    return bearer(response.json()["access_token"])


async def test_api_client_with_read_scope(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    coord_a = await login_as(client, "coordinator", hub_a)
    coord_b = await login_as(client, "coordinator", hub_b)
    mine = await create(client, "mentors", coord_a.headers)
    theirs = await create(client, "mentors", coord_b.headers)
    mentee = await create(client, "mentees", coord_a.headers)
    partner = await _api_client_headers(client, coord_a.headers, hub_a.id, ("mentors:read",))
    assert await ids(client, f"{API}/mentors", partner) == {mine["id"]}
    assert (await client.get(f"{API}/mentors/{mine['id']}", headers=partner)).status_code == 200
    assert_problem(await client.get(f"{API}/mentors/{theirs['id']}", headers=partner), 404)
    # No mentees scope: the mentee routes are refused (issue 9: 403, not an empty list).
    assert_problem(await client.get(f"{API}/mentees", headers=partner), 403, "forbidden")
    response = await client.get(f"{API}/mentees/{mentee['id']}", headers=partner)
    assert_problem(response, 403, "forbidden")
    post = await client.post(f"{API}/mentors", json=mentor_body(), headers=partner)
    assert_problem(post, 403)
    patch = await client.patch(
        f"{API}/mentors/{mine['id']}", json={"first_name": "X"}, headers=partner
    )
    assert_problem(patch, 403)
    assert await ids(client, f"{API}/mentors", coord_a.headers) == {mine["id"]}


async def test_api_client_with_write_scope_creates_in_its_hub(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    coord_a = await login_as(client, "coordinator", hub_a)
    partner = await _api_client_headers(
        client, coord_a.headers, hub_a.id, ("mentors:read", "mentors:write")
    )
    created = await create(client, "mentors", partner)
    assert created["hub_id"] == str(hub_a.id)
    admin = await login_as(client, "admin")
    audit = await client.get(
        f"{API}/audit-events", params={"resource_id": created["id"]}, headers=admin.headers
    )
    [event] = audit.json()["items"]
    assert (event["action"], event["actor"]["type"]) == ("create", "api_client")
    assert event["actor"]["id"] is not None
    elsewhere = await client.post(
        f"{API}/mentors", json=mentor_body(hub_id=str(hub_b.id)), headers=partner
    )
    assert_names_field(elsewhere, "hub_id")
    mentee = await client.post(f"{API}/mentees", json=mentee_body(), headers=partner)
    assert_problem(mentee, 403)


PEER_HIDDEN = {"status", "consent", "version", "anonymised_at", "created_at", "updated_at"}


async def test_match_shows_each_side_a_reduced_view_of_the_other(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    today = "2026-01-05"
    mentor, _, mentor_me = await person_login(
        client,
        coord.headers,
        "mentors",
        status="active",
        trained_on=today,
        ethics_signed_on=today,
        excluded_organizations=["Coop rivale"],
    )
    mentee, _, mentee_me = await person_login(client, coord.headers, "mentees", status="waiting")
    for url, who in [
        (f"{API}/mentors/{mentor['id']}/consent", mentor_me),
        (f"{API}/mentees/{mentee['id']}/consent", mentee_me),
    ]:
        await client.post(url, json={"version": "2026-01"}, headers=who)
    assert_problem(await client.get(f"{API}/mentees/{mentee['id']}", headers=mentor_me), 404)
    proposed = await client.post(
        f"{API}/matches",
        json={"mentor_id": mentor["id"], "mentee_id": mentee["id"]},
        headers=coord.headers,
    )
    assert proposed.status_code == 201, proposed.text
    seen_mentee = await client.get(f"{API}/mentees/{mentee['id']}", headers=mentor_me)
    assert seen_mentee.status_code == 200, seen_mentee.text
    body = seen_mentee.json()
    assert body["organization_name"] == mentee["organization_name"]
    assert body["needs"] == mentee["needs"]
    assert PEER_HIDDEN.isdisjoint(body)
    assert await ids(client, f"{API}/mentees", mentor_me) == {mentee["id"]}
    seen_mentor = (await client.get(f"{API}/mentors/{mentor['id']}", headers=mentee_me)).json()
    assert seen_mentor["expertise"] == mentor["expertise"]
    hidden = PEER_HIDDEN | {"capacity", "trained_on", "ethics_signed_on", "excluded_organizations"}
    assert hidden.isdisjoint(seen_mentor)
    # Seeing is not changing.
    patch = await client.patch(
        f"{API}/mentees/{mentee['id']}", json={"goals": "x"}, headers=mentor_me
    )
    assert patch.status_code in (403, 404)
    export = await client.get(f"{API}/mentees/{mentee['id']}/export", headers=mentor_me)
    assert export.status_code in (403, 404)
    cancelled = await client.post(
        f"{API}/matches/{proposed.json()['id']}/cancel",
        json={"reason": "Mauvais moment"},
        headers=coord.headers,
    )
    assert cancelled.status_code == 200, cancelled.text
    assert_problem(await client.get(f"{API}/mentees/{mentee['id']}", headers=mentor_me), 404)
    assert_problem(await client.get(f"{API}/mentors/{mentor['id']}", headers=mentee_me), 404)
