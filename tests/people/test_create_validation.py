"""Creating profiles: every invalid field is a 422 naming it; emails are unique per role."""

from datetime import date, timedelta

import pytest

from tests.factories import login_as, make_hub
from tests.helpers import assert_names_field, assert_problem
from tests.people.common import API, create, mentee_body, mentor_body

TOMORROW = (date.today() + timedelta(days=2)).isoformat()

MENTOR_INVALID = [
    ("email", "pas-un-courriel"),
    ("phone", "123"),
    ("phone", "pas un numéro"),
    ("languages", ["xx"]),
    ("languages", []),
    ("availability", ["mon_night"]),
    ("meeting_modes", ["telepathy"]),
    ("locale", "de"),
    ("regions_served", ["99"]),
    ("expertise", ["cooking"]),
    ("sectors", ["bakery"]),
    ("legal_forms_known", ["corporation"]),
    ("capacity", 0),
    ("capacity", 11),
    ("years_experience", -1),
    ("trained_on", TOMORROW),
    ("ethics_signed_on", TOMORROW),
    ("first_name", "x" * 101),
    ("last_name", ""),
    ("bio", "x" * 4001),
    ("status", "retraite"),
    # JSON types are kept: a number is not a string, a boolean not a number (Schemathesis).
    ("capacity", "3"),
    ("capacity", True),
    ("years_experience", "10"),
]

MENTEE_INVALID = [
    ("email", "veronique@"),
    ("phone", "555"),
    ("languages", ["klingon"]),
    ("availability", ["sun_night"]),
    ("region", "18"),
    ("needs", ["cooking"]),
    ("sector", "bakery"),
    ("legal_form", "corporation"),
    ("years_in_role", -1),
    ("employees", -3),
    ("organization_name", "x" * 201),
    ("organization_name", ""),
    ("role_title", "x" * 121),
    ("goals", "x" * 4001),
    ("status", "matched"),
    ("status", "active"),
    ("employees", "12"),
    ("years_in_role", 2.5),
]


@pytest.mark.parametrize(("field", "value"), MENTOR_INVALID)
async def test_invalid_mentor_field_is_422_naming_it(client, field, value):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    response = await client.post(
        f"{API}/mentors", json=mentor_body(**{field: value}), headers=coord.headers
    )
    assert_names_field(response, field)


@pytest.mark.parametrize(("field", "value"), MENTEE_INVALID)
async def test_invalid_mentee_field_is_422_naming_it(client, field, value):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    response = await client.post(
        f"{API}/mentees", json=mentee_body(**{field: value}), headers=coord.headers
    )
    assert_names_field(response, field)


@pytest.mark.parametrize("field", ["id", "version", "favourite_colour", "consent"])
async def test_fields_nobody_sets_are_refused(client, field):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    body = mentor_body(**{field: "00000000-0000-0000-0000-000000000001"})
    response = await client.post(f"{API}/mentors", json=body, headers=coord.headers)
    assert_names_field(response, field)


async def test_missing_required_fields_are_named(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    response = await client.post(
        f"{API}/mentees", json={"first_name": "Luc"}, headers=coord.headers
    )
    body = assert_problem(response, 422, "validation-error")
    named = {entry["loc"][-1] for entry in body["errors"]}
    assert {"last_name", "email", "languages", "organization_name", "region"} <= named


async def test_over_long_excluded_organisation_is_named(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    body = mentor_body(excluded_organizations=["x" * 201])
    response = await client.post(f"{API}/mentors", json=body, headers=coord.headers)
    problem = assert_problem(response, 422, "validation-error")
    assert any("excluded_organizations" in entry["loc"] for entry in problem["errors"])


async def test_patch_validates_like_create(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await create(client, "mentors", coord.headers)
    url = f"{API}/mentors/{mentor['id']}"
    for field, value in [
        ("capacity", 0),
        ("capacity", 11),
        ("phone", "123"),
        ("expertise", ["cooking"]),
        ("trained_on", TOMORROW),
        ("first_name", None),
        ("languages", None),
    ]:
        response = await client.patch(url, json={field: value}, headers=coord.headers)
        assert_names_field(response, field)
    mentee = await create(client, "mentees", coord.headers)
    response = await client.patch(
        f"{API}/mentees/{mentee['id']}", json={"years_in_role": -1}, headers=coord.headers
    )
    assert_names_field(response, "years_in_role")
    again = await client.get(url, headers=coord.headers)
    assert again.json()["version"] == 1


async def test_valid_profile_is_normalised(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    created = await create(
        client,
        "mentors",
        coord.headers,
        email="Veronique.Cote@Example.ORG",
        phone="(514) 872-0311",
        expertise=["finance", "governance", "finance"],
        trained_on=date.today().isoformat(),
        capacity=10,
    )
    assert created["email"] == "veronique.cote@example.org"
    assert created["phone"] == "+15148720311"
    assert created["expertise"] == ["finance", "governance"]
    assert created["status"] == "candidate"
    assert created["capacity"] == 10
    assert created["version"] == 1
    assert created["consent"] is None


async def test_duplicate_email_per_role_is_409(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    await create(client, "mentors", coord.headers, email="marie@example.org")
    again = await client.post(
        f"{API}/mentors", json=mentor_body(email="Marie@Example.org"), headers=coord.headers
    )
    assert_problem(again, 409, "already-exists")
    other = await create(client, "mentors", coord.headers)
    taken = await client.patch(
        f"{API}/mentors/{other['id']}", json={"email": "marie@example.org"}, headers=coord.headers
    )
    assert_problem(taken, 409, "already-exists")


async def test_the_same_email_in_another_hub_is_created(client):
    # Issue 14: profile emails are unique within a hub, so a 409 never reveals another hub's people.
    hub_a, hub_b = await make_hub(), await make_hub()
    coord_a = await login_as(client, "coordinator", hub_a)
    coord_b = await login_as(client, "coordinator", hub_b)
    await create(client, "mentees", coord_a.headers, email="luc@example.org")
    again = await client.post(
        f"{API}/mentees", json=mentee_body(email="luc@example.org"), headers=coord_b.headers
    )
    assert again.status_code == 201, again.text


async def test_same_email_as_mentor_and_mentee_is_allowed(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await create(client, "mentors", coord.headers, email="double@example.org")
    mentee = await create(client, "mentees", coord.headers, email="double@example.org")
    assert mentor["email"] == mentee["email"] == "double@example.org"


async def test_admin_must_name_an_existing_hub(client):
    admin = await login_as(client, "admin")
    missing = await client.post(f"{API}/mentors", json=mentor_body(), headers=admin.headers)
    assert_names_field(missing, "hub_id")
    unknown = await client.post(
        f"{API}/mentors",
        json=mentor_body(hub_id="00000000-0000-0000-0000-000000000009"),
        headers=admin.headers,
    )
    assert_names_field(unknown, "hub_id")
    hub = await make_hub()
    created = await create(client, "mentors", admin.headers, hub_id=str(hub.id))
    assert created["hub_id"] == str(hub.id)


async def test_staff_may_set_staff_fields_at_creation(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    today = date.today().isoformat()
    mentor = await create(
        client,
        "mentors",
        coord.headers,
        status="active",
        capacity=3,
        trained_on=today,
        ethics_signed_on=today,
    )
    assert (mentor["status"], mentor["capacity"], mentor["trained_on"]) == ("active", 3, today)
    mentee = await create(client, "mentees", coord.headers, status="waiting")
    assert mentee["status"] == "waiting"


async def test_people_cannot_create_profiles(client):
    hub = await make_hub()
    mentor = await login_as(client, "mentor", hub)
    response = await client.post(f"{API}/mentors", json=mentor_body(), headers=mentor.headers)
    assert_problem(response, 403)
    assert (await client.post(f"{API}/mentors", json=mentor_body())).status_code == 401
