"""Consent (Law 25): recorded with its version and time, withdrawn at once, who recorded it."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import login_as, make_hub
from tests.helpers import assert_names_field
from tests.people.common import API, create, person_login


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_person_gives_and_withdraws_consent(client, plural):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, _, me = await person_login(client, coord.headers, plural)
    url = f"{API}/{plural}/{profile['id']}"
    assert profile["consent"] is None
    before = datetime.now(UTC)
    given = await client.post(f"{url}/consent", json={"version": "2026-01"}, headers=me)
    assert given.status_code == 200, given.text
    consent = given.json()["consent"]
    assert consent["version"] == "2026-01"
    given_at = datetime.fromisoformat(consent["given_at"])
    assert given_at.tzinfo is not None
    assert before - timedelta(seconds=5) <= given_at <= datetime.now(UTC) + timedelta(seconds=5)
    assert given.headers["etag"] == f'"{given.json()["version"]}"'
    shown = (await client.get(url, headers=coord.headers)).json()
    assert shown["consent"]["version"] == "2026-01"
    withdrawn = await client.delete(f"{url}/consent", headers=me)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["consent"] is None
    assert (await client.get(url, headers=me)).json()["consent"] is None
    assert (await client.get(url, headers=coord.headers)).json()["consent"] is None


async def test_new_consent_version_replaces_the_old(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile, _, me = await person_login(client, coord.headers, "mentees")
    url = f"{API}/mentees/{profile['id']}/consent"
    await client.post(url, json={"version": "2025-06"}, headers=me)
    again = await client.post(url, json={"version": "2026-01"}, headers=me)
    assert again.json()["consent"]["version"] == "2026-01"


@pytest.mark.parametrize("body", [{}, {"version": ""}, {"version": "x" * 51}])
async def test_consent_needs_a_version(client, body):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile = await create(client, "mentors", coord.headers)
    response = await client.post(
        f"{API}/mentors/{profile['id']}/consent", json=body, headers=coord.headers
    )
    assert_names_field(response, "version")
    extra = await client.post(
        f"{API}/mentors/{profile['id']}/consent",
        json={"version": "v1", "given_at": "2020-01-01T00:00:00Z"},
        headers=coord.headers,
    )
    assert_names_field(extra, "given_at")


async def test_staff_records_paper_consent_and_audit_says_who(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    admin = await login_as(client, "admin")
    profile, account, me = await person_login(client, coord.headers, "mentees")
    url = f"{API}/mentees/{profile['id']}/consent"
    on_paper = await client.post(url, json={"version": "2026-01-papier"}, headers=coord.headers)
    assert on_paper.status_code == 200, on_paper.text
    assert on_paper.json()["consent"]["version"] == "2026-01-papier"
    await client.delete(url, headers=me)
    events = await client.get(
        f"{API}/audit-events",
        params={"resource_id": profile["id"], "sort": "at"},
        headers=admin.headers,
    )
    assert events.status_code == 200, events.text
    consent_events = [
        e for e in events.json()["items"] if e["action"] in ("consent_given", "consent_withdrawn")
    ]
    assert [(e["action"], e["actor"]) for e in consent_events] == [
        ("consent_given", {"type": "user", "id": str(coord.user.id)}),
        ("consent_withdrawn", {"type": "user", "id": account["id"]}),
    ]
    assert consent_events[0]["details"]["version"] == "2026-01-papier"
    assert consent_events[0]["hub_id"] == str(hub.id)


async def test_consent_is_not_set_through_patch(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    profile = await create(client, "mentors", coord.headers)
    response = await client.patch(
        f"{API}/mentors/{profile['id']}",
        json={"consent": {"version": "v1", "given_at": "2026-01-01T00:00:00Z"}},
        headers=coord.headers,
    )
    assert_names_field(response, "consent")


async def test_withdrawing_without_consent_changes_nothing(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    admin = await login_as(client, "admin")
    profile = await create(client, "mentors", coord.headers)
    response = await client.delete(f"{API}/mentors/{profile['id']}/consent", headers=coord.headers)
    assert response.status_code == 200
    assert response.json()["consent"] is None
    assert response.json()["version"] == 1
    events = await client.get(
        f"{API}/audit-events", params={"action": "consent_withdrawn"}, headers=admin.headers
    )
    assert events.json()["items"] == []
