"""Consent is the person's word (or staff's record of it): a partner system cannot give it."""

from tests.factories import bearer, login_as, make_hub
from tests.helpers import new_api_client
from tests.matches.helpers import make_mentor


async def test_an_api_client_with_write_scope_cannot_record_or_withdraw_consent(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub)
    created = await new_api_client(client, coord.headers, hub.id, ("mentors:read", "mentors:write"))
    token = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created["client_id"],
            "client_secret": created["client_secret"],
        },
    )
    partner = bearer(token.json()["access_token"])
    url = f"/api/v1/mentors/{mentor.id}/consent"
    assert (await client.post(url, json={"version": "2026-01"}, headers=partner)).status_code == 403
    assert (await client.delete(url, headers=partner)).status_code == 403
    by_staff = await client.post(url, json={"version": "2026-01"}, headers=coord.headers)
    assert by_staff.status_code == 200
    assert by_staff.json()["consent"]["version"] == "2026-01"
