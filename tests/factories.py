"""Rows for test set-ups, written straight to the database; behaviour goes through HTTP."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import httpx

from app.core.db import unit_of_work
from app.core.security import password_hasher
from app.hubs.models import Hub
from app.users.models import User

PASSWORD = "un mot de passe solide"


@lru_cache
def _password_hash() -> str:
    return password_hasher().hash(PASSWORD)


async def make_hub(slug: str | None = None, **fields: Any) -> Hub:
    """A hub."""
    slug = slug or f"hub-{uuid.uuid4().hex[:8]}"
    values: dict[str, Any] = {
        "slug": slug,
        "name": f"Pôle {slug}",
        "regions": ["06"],
        "contact_email": f"{slug}@example.org",
    }
    values.update(fields)
    hub = Hub(**values)
    async with unit_of_work(write=True) as db:
        db.add(hub)
    return hub


async def make_user(role: str, hub: Hub | None = None, **fields: Any) -> User:
    """An account with the shared test password."""
    values: dict[str, Any] = {
        "email": f"{role}-{uuid.uuid4().hex[:8]}@example.org",
        "full_name": f"Test {role}",
        "role": role,
        "hub_id": hub.id if hub else None,
        "password_hash": _password_hash(),
    }
    values.update(fields)
    user = User(**values)
    async with unit_of_work(write=True) as db:
        db.add(user)
    return user


async def token_for(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the real token endpoint."""
    response = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def bearer(token: str, **extra: str) -> dict[str, str]:
    """Authorization header (plus any others)."""
    return {"Authorization": f"Bearer {token}", **extra}


@dataclass
class Caller:
    """A logged-in user and their headers."""

    user: User
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """Bearer header."""
        return bearer(self.token)


async def login_as(
    client: httpx.AsyncClient, role: str, hub: Hub | None = None, **fields: Any
) -> Caller:
    """Create an account and log it in."""
    user = await make_user(role, hub, **fields)
    return Caller(user=user, token=await token_for(client, user.email))
