"""Invitations and password resets, end to end through the API and a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.factories import PASSWORD, login_as, make_hub
from tests.helpers import assert_problem
from tests.matches.helpers import make_mentor
from tests.notifications.common import (
    API,
    NOW,
    Mailbox,
    freeze,
    new_email,
    text_of,
    token_in,
    work,
)

NEW_PASSWORD = "un tout nouveau mot de passe"


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(f"{API}/auth/token", data={"username": email, "password": password})


async def test_an_account_created_without_password_is_invited_and_chooses_one(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub)
    email = new_email()
    r = await client.post(
        f"{API}/users",
        json={
            "email": email,
            "full_name": "Marie Tremblay",
            "role": "mentor",
            "profile_id": str(mentor.id),
            "locale": "en",
        },
        headers=coord.headers,
    )
    assert r.status_code == 201, r.text
    user_id = r.json()["id"]
    await work()
    [invitation] = smtp.to(email)
    assert invitation["Subject"] == "Your access to Mentorat"
    assert "expires in 7 days" in text_of(invitation)
    assert "https://portail.example.org/accept-invitation?token=" in text_of(invitation)
    first_token = token_in(invitation)

    # Staff send a new invitation: the first link stops working.
    r = await client.post(f"{API}/users/{user_id}/invitation", headers=coord.headers)
    assert r.status_code == 202, r.text
    await work()
    second = smtp.to(email)[-1]
    assert len(smtp.to(email)) == 2
    r = await client.post(
        f"{API}/auth/accept-invitation", json={"token": first_token, "password": NEW_PASSWORD}
    )
    assert_problem(r, 400, "invalid-link")

    r = await client.post(
        f"{API}/auth/accept-invitation", json={"token": token_in(second), "password": NEW_PASSWORD}
    )
    assert r.status_code == 204, r.text
    assert (await login(client, email, NEW_PASSWORD)).status_code == 200
    # A link works once.
    r = await client.post(
        f"{API}/auth/accept-invitation",
        json={"token": token_in(second), "password": "encore un autre mot de passe"},
    )
    assert_problem(r, 400, "invalid-link")
    assert (await login(client, email, NEW_PASSWORD)).status_code == 200


async def test_an_invitation_expires_and_bad_input_changes_nothing(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    hub = await make_hub()
    admin = await login_as(client, "admin")
    email = new_email()
    r = await client.post(
        f"{API}/users",
        json={"email": email, "full_name": "Coord", "role": "coordinator", "hub_id": str(hub.id)},
        headers=admin.headers,
    )
    assert r.status_code == 201, r.text
    await work()
    [invitation] = smtp.to(email)
    assert invitation["Subject"] == "Votre accès à Mentorat"
    token = token_in(invitation)
    r = await client.post(
        f"{API}/auth/accept-invitation", json={"token": token, "password": "court"}
    )
    assert r.status_code == 422
    freeze(monkeypatch, NOW + timedelta(days=7, minutes=1))
    r = await client.post(
        f"{API}/auth/accept-invitation", json={"token": token, "password": NEW_PASSWORD}
    )
    body = assert_problem(r, 400, "invalid-link")
    assert "expiré" in body["detail"]
    assert (await login(client, email, NEW_PASSWORD)).status_code == 401


async def test_invitations_are_for_reachable_non_admin_accounts(
    client: httpx.AsyncClient, smtp: Mailbox
) -> None:
    hub, other_hub = await make_hub(), await make_hub()
    coord = await login_as(client, "coordinator", hub)
    admin = await login_as(client, "admin")
    stranger = await login_as(client, "mentor", other_hub)
    r = await client.post(f"{API}/users/{stranger.user.id}/invitation", headers=coord.headers)
    assert_problem(r, 404, "not-found")
    r = await client.post(f"{API}/users/{admin.user.id}/invitation", headers=admin.headers)
    assert_problem(r, 409, "invitation-not-possible")
    r = await client.post(f"{API}/users/{coord.user.id}/invitation", headers=stranger.headers)
    assert_problem(r, 403, "forbidden")
    # An account created with a password receives no invitation.
    email = new_email()
    r = await client.post(
        f"{API}/users",
        json={
            "email": email,
            "full_name": "Avec mot de passe",
            "role": "coordinator",
            "hub_id": str(hub.id),
            "password": PASSWORD,
        },
        headers=admin.headers,
    )
    assert r.status_code == 201, r.text
    await work()
    assert smtp.messages == []


async def test_a_password_reset_revokes_logins_and_lifts_the_lockout(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    monkeypatch.setenv("MENTORAT_LOGIN_MAX_FAILURES", "3")
    from app.core.config import get_settings

    get_settings.cache_clear()
    caller = await login_as(client, "mentor", await make_hub())
    email = caller.user.email
    r = await login(client, email, PASSWORD)
    refresh_token = r.json()["refresh_token"]
    for _ in range(3):
        assert (await login(client, email, "pas le bon mot de passe")).status_code == 401
    assert (await login(client, email, PASSWORD)).status_code == 429

    unknown = await client.post(f"{API}/auth/password-reset", json={"email": new_email()})
    known = await client.post(f"{API}/auth/password-reset", json={"email": email.upper()})
    assert unknown.status_code == known.status_code == 202
    assert unknown.content == known.content == b""
    await work()
    [reset] = smtp.messages
    assert reset["To"] == email
    assert reset["Subject"] == "Réinitialisation de votre mot de passe Mentorat"
    assert "expire dans 60 minutes" in text_of(reset)
    token = token_in(reset)

    r = await client.post(
        f"{API}/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}
    )
    assert r.status_code == 204, r.text
    # Every login of the account ended; the lockout is lifted; the new password works.
    r = await client.post(f"{API}/auth/refresh", json={"refresh_token": refresh_token})
    assert_problem(r, 401, "invalid-token")
    r = await client.get(f"{API}/users/me", headers=caller.headers)
    assert r.status_code == 401
    assert (await login(client, email, NEW_PASSWORD)).status_code == 200
    assert (await login(client, email, PASSWORD)).status_code == 401
    r = await client.post(
        f"{API}/auth/password-reset/confirm", json={"token": token, "password": "troisième essai !"}
    )
    assert_problem(r, 400, "invalid-link")


async def test_a_reset_link_expires_after_an_hour(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    caller = await login_as(client, "coordinator", await make_hub(), locale="en")
    r = await client.post(f"{API}/auth/password-reset", json={"email": caller.user.email})
    assert r.status_code == 202
    await work()
    [reset] = smtp.messages
    assert reset["Subject"] == "Resetting your Mentorat password"
    freeze(monkeypatch, NOW + timedelta(hours=1, seconds=1))
    r = await client.post(
        f"{API}/auth/password-reset/confirm",
        json={"token": token_in(reset), "password": NEW_PASSWORD},
        headers={"Accept-Language": "en"},
    )
    body = assert_problem(r, 400, "invalid-link")
    assert "expired" in body["detail"]
    assert (await login(client, caller.user.email, PASSWORD)).status_code == 200
    r = await client.post(
        f"{API}/auth/password-reset/confirm",
        json={"token": "n'importe quoi", "password": NEW_PASSWORD},
    )
    assert_problem(r, 400, "invalid-link")
    r = await client.post(f"{API}/auth/password-reset", json={"email": "pas un courriel"})
    assert r.status_code == 422
