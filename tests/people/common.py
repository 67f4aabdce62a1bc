"""Bodies and set-ups shared by the profile tests; everything goes through the API."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.factories import PASSWORD, bearer, token_for

API = "/api/v1"


def mentor_body(**extra: Any) -> dict[str, Any]:
    """A valid new mentor."""
    body: dict[str, Any] = {
        "first_name": "Véronique",
        "last_name": "Côté",
        "email": f"mentor-{uuid.uuid4().hex[:8]}@example.org",
        "phone": "514 872-0311",
        "languages": ["fr", "en"],
        "meeting_modes": ["video", "in_person"],
        "availability": ["mon_am", "wed_eve"],
        "expertise": ["governance", "finance"],
        "sectors": ["housing"],
        "legal_forms_known": ["solidarity_coop"],
        "regions_served": ["06"],
        "capacity": 2,
        "years_experience": 20,
        "bio": "Ancienne directrice générale d'une coopérative d'habitation.",
    }
    body.update(extra)
    return body


def mentee_body(**extra: Any) -> dict[str, Any]:
    """A valid new mentee."""
    body: dict[str, Any] = {
        "first_name": "Étienne",
        "last_name": "Bélanger",
        "email": f"mentee-{uuid.uuid4().hex[:8]}@example.org",
        "phone": "418 641-6411",
        "languages": ["fr"],
        "organization_name": "Coopérative de solidarité du Bas-Saint-Laurent",
        "legal_form": "solidarity_coop",
        "sector": "agri_food",
        "region": "01",
        "employees": 12,
        "role_title": "Directeur général",
        "years_in_role": 2,
        "needs": ["governance", "human_resources"],
        "goals": "Mieux travailler avec mon conseil d'administration.",
    }
    body.update(extra)
    return body


BODIES = {"mentors": mentor_body, "mentees": mentee_body}


async def create(
    client: httpx.AsyncClient, plural: str, headers: dict[str, str], **extra: Any
) -> dict[str, Any]:
    """Create a profile through the API; returns its JSON."""
    response = await client.post(f"{API}/{plural}", json=BODIES[plural](**extra), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def link_account(
    client: httpx.AsyncClient,
    staff_headers: dict[str, str],
    plural: str,
    profile: dict[str, Any],
) -> dict[str, Any]:
    """Create the person's account linked to the profile (POST /users); returns the account."""
    role = plural.removesuffix("s")
    response = await client.post(
        f"{API}/users",
        json={
            "email": f"{role}-login-{uuid.uuid4().hex[:8]}@example.org",
            "full_name": f"{profile['first_name']} {profile['last_name']}",
            "role": role,
            "hub_id": profile["hub_id"],
            "profile_id": profile["id"],
            "password": PASSWORD,
        },
        headers=staff_headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def person_login(
    client: httpx.AsyncClient,
    staff_headers: dict[str, str],
    plural: str,
    **extra: Any,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """A profile created by staff, its linked account, and that account's headers."""
    profile = await create(client, plural, staff_headers, **extra)
    account = await link_account(client, staff_headers, plural, profile)
    token = await token_for(client, account["email"])
    return profile, account, bearer(token)


async def ids(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], **params: Any
) -> set[str]:
    """The ids a list answers (first page, up to 200)."""
    response = await client.get(url, params={"limit": 200, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}
