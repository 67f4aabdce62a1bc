"""Account emails are unique across the service; a taken one gets one answer, whatever the hub."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import PASSWORD, login_as, make_hub, make_user
from tests.helpers import EN, assert_problem
from tests.people.common import API, create

USERS = f"{API}/users"


def _account(profile: dict[str, object], email: str) -> dict[str, object]:
    return {
        "email": email,
        "full_name": "Nouvelle Personne",
        "role": "mentor",
        "profile_id": profile["id"],
        "password": PASSWORD,
    }


async def _refused_events(client, admin_headers) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    response = await client.get(
        f"{API}/audit-events", params={"action": "email_refused"}, headers=admin_headers
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


@pytest.mark.parametrize("language", [{}, EN])
async def test_an_email_of_own_or_another_hub_gets_the_same_409(client, language):
    admin = await login_as(client, "admin")
    hub_a, hub_b = await make_hub(), await make_hub()
    coord = await login_as(client, "coordinator", hub_a)
    own = await make_user("mentee", hub_a, email=f"own-{uuid.uuid4().hex[:6]}@example.org")
    other = await make_user("mentor", hub_b, email=f"other-{uuid.uuid4().hex[:6]}@example.org")
    headers = {**coord.headers, **language}
    answers = []
    for existing in (own, other):
        profile = await create(client, "mentors", coord.headers, email=existing.email)
        response = await client.post(
            USERS, json=_account(profile, existing.email.upper()), headers=headers
        )
        answers.append(assert_problem(response, 409, "email-unavailable"))
    assert answers[0] == answers[1]
    # The answer says only that the email cannot serve a new account: no hub, no name, no id.
    text = str(answers[0])
    for secret in (str(hub_b.id), str(other.id), other.full_name, str(hub_a.id), str(own.id)):
        assert secret not in text
    assert set(answers[0]) == {"type", "title", "status", "detail"}
    # Nothing was created, and both tries are in the audit log, naming the coordinator.
    accounts = (await client.get(USERS, headers=coord.headers)).json()["items"]
    assert {a["email"] for a in accounts} == {coord.user.email, own.email}
    events = await _refused_events(client, admin.headers)
    assert len(events) == 2
    assert {e["details"]["existing_user_id"] for e in events} == {str(own.id), str(other.id)}
    for event in events:
        assert event["actor"] == {"type": "user", "id": str(coord.user.id)}
        assert event["hub_id"] == str(hub_a.id)
        assert event["resource_type"] == "user"
        assert event["details"]["role"] == "mentor"


async def test_the_409_is_french_by_default_and_english_on_request(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    taken = await make_user("mentor", await make_hub())
    profile = await create(client, "mentors", coord.headers)
    fr = assert_problem(
        await client.post(USERS, json=_account(profile, taken.email), headers=coord.headers), 409
    )
    en = assert_problem(
        await client.post(
            USERS, json=_account(profile, taken.email), headers={**coord.headers, **EN}
        ),
        409,
    )
    assert en["detail"] == "This email address cannot be used for a new account."
    assert fr["detail"] == "Cette adresse courriel ne peut pas servir à un nouveau compte."


async def test_a_free_email_still_creates_the_account(client):
    admin = await login_as(client, "admin")
    coord = await login_as(client, "coordinator", await make_hub())
    profile = await create(client, "mentors", coord.headers)
    created = await client.post(
        USERS, json=_account(profile, "libre@example.org"), headers=coord.headers
    )
    assert created.status_code == 201, created.text
    assert await _refused_events(client, admin.headers) == []


async def test_changing_an_account_to_a_taken_email_is_the_same_409(client):
    admin = await login_as(client, "admin")
    hub_a = await make_hub()
    coord = await login_as(client, "coordinator", hub_a)
    mine = await make_user("mentor", hub_a)
    taken = await make_user("mentor", await make_hub())
    response = await client.patch(
        f"{USERS}/{mine.id}", json={"email": taken.email}, headers=coord.headers
    )
    assert_problem(response, 409, "email-unavailable")
    unchanged = (await client.get(f"{USERS}/{mine.id}", headers=coord.headers)).json()
    assert unchanged["email"] == mine.email
    events = await _refused_events(client, admin.headers)
    assert [e["details"]["user_id"] for e in events] == [str(mine.id)]
    # Keeping one's own email is no conflict.
    same = await client.patch(
        f"{USERS}/{mine.id}", json={"email": mine.email.upper()}, headers=coord.headers
    )
    assert same.status_code == 200, same.text
