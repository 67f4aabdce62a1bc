"""A linked account reads and changes its own profile, never the staff-only fields; ETags."""

from datetime import date

import pytest

from tests.factories import login_as, make_hub
from tests.helpers import assert_names_field, assert_problem
from tests.people.common import API, person_login

TODAY = date.today().isoformat()

MENTOR_FORBIDDEN = [
    ("status", "active"),
    ("capacity", 5),
    ("trained_on", TODAY),
    ("ethics_signed_on", TODAY),
    ("hub_id", "00000000-0000-0000-0000-000000000001"),
    ("id", "00000000-0000-0000-0000-000000000001"),
    ("version", 7),
]


async def test_mentor_reads_and_updates_own_profile(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, account, me = await person_login(client, coord.headers, "mentors")
    assert account["profile_id"] == profile["id"]
    own = await client.get(f"{API}/mentors/{profile['id']}", headers=me)
    assert own.status_code == 200, own.text
    assert own.json()["status"] == "candidate"
    assert own.json()["consent"] is None
    assert own.headers["etag"] == '"1"'
    changed = await client.patch(
        f"{API}/mentors/{profile['id']}",
        json={
            "bio": "Je préfère les rencontres du matin.",
            "phone": "+1 418 641-6411",
            "availability": ["tue_am"],
            "expertise": ["leadership"],
        },
        headers={**me, "If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["bio"] == "Je préfère les rencontres du matin."
    assert body["phone"] == "+14186416411"
    assert body["availability"] == ["tue_am"]
    assert body["version"] == 2
    assert changed.headers["etag"] == '"2"'
    listed = await client.get(f"{API}/mentors", headers=me)
    assert [item["id"] for item in listed.json()["items"]] == [profile["id"]]


@pytest.mark.parametrize(("field", "value"), MENTOR_FORBIDDEN)
async def test_mentor_cannot_set_staff_only_fields(client, field, value):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, _, me = await person_login(client, coord.headers, "mentors")
    response = await client.patch(
        f"{API}/mentors/{profile['id']}", json={field: value, "bio": "x"}, headers=me
    )
    assert_names_field(response, field)
    after = await client.get(f"{API}/mentors/{profile['id']}", headers=coord.headers)
    assert after.json()["version"] == 1
    assert after.json()["bio"] == profile["bio"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "waiting"),
        ("status", None),
        ("hub_id", None),
        ("id", "00000000-0000-0000-0000-000000000001"),
        ("version", 2),
    ],
)
async def test_mentee_cannot_set_status(client, field, value):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, _, me = await person_login(client, coord.headers, "mentees")
    response = await client.patch(f"{API}/mentees/{profile['id']}", json={field: value}, headers=me)
    assert_names_field(response, field)


async def test_mentee_updates_own_enterprise_fields(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, _, me = await person_login(client, coord.headers, "mentees")
    response = await client.patch(
        f"{API}/mentees/{profile['id']}",
        json={"goals": "Préparer la relève.", "needs": ["succession"], "employees": 15},
        headers=me,
    )
    assert response.status_code == 200, response.text
    assert response.json()["needs"] == ["succession"]
    assert response.json()["status"] == "applicant"


async def test_coordinator_admits_mentee_and_activates_mentor(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentee, _, _ = await person_login(client, coord.headers, "mentees")
    admitted = await client.patch(
        f"{API}/mentees/{mentee['id']}", json={"status": "waiting"}, headers=coord.headers
    )
    assert admitted.status_code == 200, admitted.text
    assert admitted.json()["status"] == "waiting"
    matched = await client.patch(
        f"{API}/mentees/{mentee['id']}", json={"status": "matched"}, headers=coord.headers
    )
    assert_names_field(matched, "status")
    mentor, _, me = await person_login(client, coord.headers, "mentors")
    activated = await client.patch(
        f"{API}/mentors/{mentor['id']}",
        json={"status": "active", "capacity": 3, "trained_on": TODAY, "ethics_signed_on": TODAY},
        headers=coord.headers,
    )
    assert activated.status_code == 200, activated.text
    seen = (await client.get(f"{API}/mentors/{mentor['id']}", headers=me)).json()
    assert (seen["status"], seen["capacity"], seen["trained_on"]) == ("active", 3, TODAY)
    assert seen["ethics_signed_on"] == TODAY


async def test_person_cannot_anonymise_self(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, _, me = await person_login(client, coord.headers, "mentors")
    response = await client.delete(f"{API}/mentors/{profile['id']}", headers=me)
    assert_problem(response, 403)
    still = await client.get(f"{API}/mentors/{profile['id']}", headers=me)
    assert still.json()["first_name"] == profile["first_name"]


async def test_stale_if_match_is_412_and_current_one_bumps_version(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentee, _, me = await person_login(client, coord.headers, "mentees")
    url = f"{API}/mentees/{mentee['id']}"
    got = await client.get(url, headers=coord.headers)
    etag = got.headers["etag"]
    assert etag == '"1"'
    # The mentee changes the profile in between: the coordinator's copy is stale.
    first = await client.patch(url, json={"goals": "Nouveau"}, headers={**me, "If-Match": etag})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = await client.patch(
        url, json={"status": "waiting"}, headers={**coord.headers, "If-Match": etag}
    )
    assert_problem(stale, 412, "precondition-failed")
    assert (await client.get(url, headers=coord.headers)).json()["status"] == "applicant"
    current = await client.patch(
        url, json={"status": "waiting"}, headers={**coord.headers, "If-Match": '"2"'}
    )
    assert current.status_code == 200, current.text
    assert current.json()["version"] == 3
    assert current.headers["etag"] == '"3"'
    weak = await client.patch(
        url, json={"goals": "Encore"}, headers={**coord.headers, "If-Match": 'W/"3"'}
    )
    assert weak.status_code == 200
    unconditional = await client.patch(url, json={"goals": "Sans condition"}, headers=coord.headers)
    assert unconditional.json()["version"] == 5


async def test_unchanged_values_keep_the_version(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, _, me = await person_login(client, coord.headers, "mentors")
    url = f"{API}/mentors/{profile['id']}"
    # A front end saving the whole form without changes: others' If-Match stays valid.
    same = await client.patch(
        url,
        json={k: profile[k] for k in ("first_name", "bio", "expertise", "email", "phone")},
        headers={**me, "If-Match": '"1"'},
    )
    assert same.status_code == 200, same.text
    assert same.json()["version"] == 1
    assert same.headers["etag"] == '"1"'
    staff = await client.patch(
        url, json={"first_name": "Renée"}, headers={**coord.headers, "If-Match": '"1"'}
    )
    assert staff.json()["version"] == 2
