"""Accounts: who sees and creates which account, and what nobody may set."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import PASSWORD, login_as, make_hub, make_user
from tests.helpers import assert_names_field, assert_problem, client_token

USERS = "/api/v1/users"
ME = "/api/v1/users/me"


def _new_account(role: str = "mentor", **fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "email": f"new-{uuid.uuid4().hex[:8]}@example.org",
        "full_name": "Nouvelle Personne",
        "role": role,
        "password": "un autre mot de passe",
    }
    body.update(fields)
    return body


# --- reach ------------------------------------------------------------------------------


async def test_a_coordinator_gets_404_on_another_hubs_users(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    coordinator = await login_as(client, "coordinator", hub_a)
    outsider = await make_user("mentor", hub_b)
    response = await client.get(f"{USERS}/{outsider.id}", headers=coordinator.headers)
    assert_problem(response, 404, "not-found")
    # The same answer as an id that does not exist at all: nothing to probe.
    missing = await client.get(f"{USERS}/{uuid.uuid4()}", headers=coordinator.headers)
    assert missing.json() == response.json()
    patch = await client.patch(
        f"{USERS}/{outsider.id}", json={"full_name": "X"}, headers=coordinator.headers
    )
    assert_problem(patch, 404)


async def test_a_coordinator_lists_only_their_hub(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    coordinator = await login_as(client, "coordinator", hub_a)
    mine = await make_user("mentee", hub_a)
    await make_user("mentee", hub_b)
    await make_user("admin")
    response = await client.get(USERS, headers=coordinator.headers)
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert ids == {str(coordinator.user.id), str(mine.id)}
    filtered = await client.get(
        USERS, params={"hub_id": str(hub_b.id)}, headers=coordinator.headers
    )
    assert filtered.json()["items"] == []


async def test_a_coordinator_reads_a_user_of_their_hub(client):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    mentor = await make_user("mentor", hub)
    response = await client.get(f"{USERS}/{mentor.id}", headers=coordinator.headers)
    assert response.status_code == 200
    assert response.json()["email"] == mentor.email
    assert response.headers["etag"] == '"1"'


async def test_admin_sees_every_account(client):
    admin = await login_as(client, "admin")
    others = [await make_user("mentor", await make_hub()) for _ in range(3)]
    response = await client.get(USERS, params={"include_total": "true"}, headers=admin.headers)
    assert response.json()["total"] == 4
    for other in others:
        one = await client.get(f"{USERS}/{other.id}", headers=admin.headers)
        assert one.status_code == 200


@pytest.mark.parametrize("role", ["mentor", "mentee"])
async def test_people_get_403_on_the_list_and_404_on_others(client, role):
    hub = await make_hub()
    person = await login_as(client, role, hub)
    neighbour = await make_user("mentor", hub)
    assert_problem(await client.get(USERS, headers=person.headers), 403, "forbidden")
    assert_problem(await client.get(f"{USERS}/{neighbour.id}", headers=person.headers), 404)
    own = await client.get(f"{USERS}/{person.user.id}", headers=person.headers)
    assert own.status_code == 200
    created = await client.post(USERS, json=_new_account(), headers=person.headers)
    assert_problem(created, 403)


async def test_users_me_reads_the_callers_account(client):
    hub = await make_hub()
    mentee = await login_as(client, "mentee", hub)
    response = await client.get(ME, headers=mentee.headers)
    body = response.json()
    assert body["role"] == "mentee" and body["hub_id"] == str(hub.id)
    assert "password_hash" not in body and "password" not in body


# --- creating accounts ------------------------------------------------------------------


async def _profile(client, headers, plural: str) -> str:  # type: ignore[no-untyped-def]
    """A mentor or mentee profile of the caller's hub, created through the API."""
    person = {
        "first_name": "Véronique",
        "last_name": "Côté",
        "email": f"p-{uuid.uuid4().hex[:8]}@example.org",
        "languages": ["fr"],
    }
    if plural == "mentors":
        person |= {"expertise": ["governance"], "capacity": 2, "years_experience": 10}
    else:
        person |= {
            "organization_name": "Coop du Bas-Saint-Laurent",
            "legal_form": "solidarity_coop",
            "sector": "agri_food",
            "region": "01",
            "needs": ["governance"],
        }
    response = await client.post(f"/api/v1/{plural}", json=person, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_a_coordinator_creates_mentor_and_mentee_accounts_in_their_hub(client):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    for role in ("mentor", "mentee"):
        profile_id = await _profile(client, coordinator.headers, f"{role}s")
        response = await client.post(
            USERS, json=_new_account(role, profile_id=profile_id), headers=coordinator.headers
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["role"] == role and body["hub_id"] == str(hub.id)
        assert body["profile_id"] == profile_id
        assert response.headers["location"] == f"{USERS}/{body['id']}"
    profile_id = await _profile(client, coordinator.headers, "mentors")
    explicit = await client.post(
        USERS,
        json=_new_account(hub_id=str(hub.id), profile_id=profile_id),
        headers=coordinator.headers,
    )
    assert explicit.status_code == 201, explicit.text


async def test_a_new_account_can_log_in(client):
    admin = await login_as(client, "admin")
    hub = await make_hub()
    body = _new_account("coordinator", hub_id=str(hub.id), email="Mixed.Case@Example.org")
    created = await client.post(USERS, json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    assert created.json()["email"] == "mixed.case@example.org"
    login = await client.post(
        "/api/v1/auth/token",
        data={"username": "mixed.case@example.org", "password": body["password"]},
    )
    assert login.status_code == 200


async def test_a_coordinator_cannot_create_in_another_hub(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    coordinator = await login_as(client, "coordinator", hub_a)
    other = await client.post(
        USERS, json=_new_account(hub_id=str(hub_b.id)), headers=coordinator.headers
    )
    nowhere = await client.post(
        USERS, json=_new_account(hub_id=str(uuid.uuid4())), headers=coordinator.headers
    )
    assert_names_field(other, "hub_id")
    assert_names_field(nowhere, "hub_id")
    # Whether the hub exists or not, the answer is the same.
    assert other.json() == nowhere.json()


@pytest.mark.parametrize("role", ["coordinator", "admin"])
async def test_a_coordinator_cannot_create_staff(client, role):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    response = await client.post(USERS, json=_new_account(role), headers=coordinator.headers)
    assert_names_field(response, "role")


async def test_admin_rules_on_hub_id(client):
    admin = await login_as(client, "admin")
    no_hub = await client.post(USERS, json=_new_account("mentor"), headers=admin.headers)
    assert_names_field(no_hub, "hub_id")
    hub = await make_hub()
    admin_in_hub = await client.post(
        USERS, json=_new_account("admin", hub_id=str(hub.id)), headers=admin.headers
    )
    assert_names_field(admin_in_hub, "hub_id")


async def test_a_duplicate_email_is_409(client):
    admin = await login_as(client, "admin")
    response = await client.post(
        USERS, json=_new_account("admin", email=admin.user.email.upper()), headers=admin.headers
    )
    # Issue 14: the answer says only that this email cannot serve a new account.
    body = assert_problem(response, 409, "email-unavailable")
    assert "courriel" in body["detail"]


# --- mass assignment --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", str(uuid.uuid4())),
        ("version", 7),
        ("role", "admin"),
        ("hub_id", str(uuid.uuid4())),
        ("is_active", True),
        ("email", "other@example.org"),
        ("profile_id", str(uuid.uuid4())),
    ],
)
async def test_a_person_cannot_set_protected_fields_on_themselves(client, field, value):
    hub = await make_hub()
    mentee = await login_as(client, "mentee", hub)
    response = await client.patch(ME, json={field: value}, headers=mentee.headers)
    assert_names_field(response, field)
    after = (await client.get(ME, headers=mentee.headers)).json()
    assert after["role"] == "mentee" and after["version"] == 1


@pytest.mark.parametrize("field", ["id", "version", "created_at", "password_hash", "nickname"])
async def test_post_users_refuses_unknown_fields(client, field):
    admin = await login_as(client, "admin")
    response = await client.post(
        USERS, json=_new_account("admin", **{field: "x"}), headers=admin.headers
    )
    assert_names_field(response, field)


@pytest.mark.parametrize("field", ["role", "hub_id", "version", "id"])
async def test_staff_cannot_patch_role_hub_or_version(client, field):
    admin = await login_as(client, "admin")
    target = await make_user("mentor", await make_hub())
    response = await client.patch(
        f"{USERS}/{target.id}", json={field: "admin"}, headers=admin.headers
    )
    assert_names_field(response, field)


# --- changing one's own account ---------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "coordinator"])
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("password", "un tout nouveau secret"),
        ("email", "ailleurs@example.org"),
        ("is_active", False),
    ],
)
async def test_staff_cannot_take_or_lock_their_own_login_by_patch_users_id(
    client, role, field, value
):
    # Found by Schemathesis: a coordinator's token alone changed that coordinator's password.
    staff = await login_as(client, role, await make_hub())
    response = await client.patch(
        f"{USERS}/{staff.user.id}", json={field: value}, headers=staff.headers
    )
    assert_names_field(response, field)
    me = await client.get(ME, headers=staff.headers)
    assert me.status_code == 200
    assert me.json()["version"] == 1 and me.json()["email"] == staff.user.email
    login = await client.post(
        "/api/v1/auth/token", data={"username": staff.user.email, "password": PASSWORD}
    )
    assert login.status_code == 200
    # Their name and language they may still change there.
    renamed = await client.patch(
        f"{USERS}/{staff.user.id}", json={"full_name": "Nom Changé"}, headers=staff.headers
    )
    assert renamed.status_code == 200, renamed.text


async def test_a_person_changes_name_and_locale_with_if_match(client):
    mentor = await login_as(client, "mentor", await make_hub())
    etag = (await client.get(ME, headers=mentor.headers)).headers["etag"]
    response = await client.patch(
        ME,
        json={"full_name": "Nom Changé", "locale": "en"},
        headers={**mentor.headers, "If-Match": etag},
    )
    assert response.status_code == 200, response.text
    assert response.json()["full_name"] == "Nom Changé"
    assert response.json()["version"] == 2
    assert response.headers["etag"] == '"2"'
    stale = await client.patch(
        ME, json={"locale": "fr"}, headers={**mentor.headers, "If-Match": etag}
    )
    assert_problem(stale, 412, "precondition-failed")


async def test_changing_ones_password_needs_the_current_one(client):
    mentor = await login_as(client, "mentor", await make_hub())
    wrong = await client.patch(
        ME,
        json={"password": "tout nouveau secret", "current_password": "pas le bon"},
        headers=mentor.headers,
    )
    assert_names_field(wrong, "current_password")
    right = await client.patch(
        ME,
        json={"password": "tout nouveau secret", "current_password": PASSWORD},
        headers=mentor.headers,
    )
    assert right.status_code == 200, right.text
    # This login goes on; the new password works.
    assert (await client.get(ME, headers=mentor.headers)).status_code == 200
    login = await client.post(
        "/api/v1/auth/token",
        data={"username": mentor.user.email, "password": "tout nouveau secret"},
    )
    assert login.status_code == 200


async def test_a_short_password_is_422(client):
    mentor = await login_as(client, "mentor", await make_hub())
    response = await client.patch(ME, json={"password": "court"}, headers=mentor.headers)
    assert_names_field(response, "password")


async def test_an_api_client_has_no_users_me(client):
    hub = await make_hub()
    admin = await login_as(client, "admin")
    token = await client_token(client, admin.headers, hub.id)
    response = await client.get(ME, headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 403)


@pytest.mark.parametrize("value", [0, 1, "false", "yes"])
async def test_is_active_must_be_a_json_boolean(client, value):
    # Found by Schemathesis: `"is_active": 0` was read as false and deactivated the account.
    admin = await login_as(client, "admin")
    target = await make_user("mentor", await make_hub())
    response = await client.patch(
        f"{USERS}/{target.id}", json={"is_active": value}, headers=admin.headers
    )
    assert_names_field(response, "is_active")
    after = await client.get(f"{USERS}/{target.id}", headers=admin.headers)
    assert after.json()["is_active"] is True and after.json()["version"] == 1
