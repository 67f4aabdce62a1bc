"""Set-ups for match tests: eligible mentors, waiting mentees, linked accounts."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx

from app.core.db import unit_of_work
from app.hubs.models import Hub
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from tests.factories import Caller, login_as


async def make_mentor(hub: Hub, **fields: Any) -> Mentor:
    """An active, trained, ethics-signed mentor (override any field)."""
    values: dict[str, Any] = {
        "hub_id": hub.id,
        "first_name": "Marie",
        "last_name": "Tremblay",
        "email": f"mentor-{uuid.uuid4().hex[:8]}@example.org",
        "languages": ["fr"],
        "meeting_modes": ["video", "in_person"],
        "availability": ["mon_am", "tue_pm"],
        "status": "active",
        "expertise": ["governance", "finance"],
        "sectors": ["housing"],
        "legal_forms_known": ["solidarity_coop"],
        "regions_served": ["06"],
        "capacity": 2,
        "years_experience": 12,
        "trained_on": date(2025, 1, 15),
        "ethics_signed_on": date(2025, 1, 15),
    }
    values.update(fields)
    mentor = Mentor(**values)
    async with unit_of_work(write=True) as db:
        db.add(mentor)
    return mentor


async def make_mentee(hub: Hub, **fields: Any) -> Mentee:
    """A waiting mentee (override any field)."""
    values: dict[str, Any] = {
        "hub_id": hub.id,
        "first_name": "Luc",
        "last_name": "Gagnon",
        "email": f"mentee-{uuid.uuid4().hex[:8]}@example.org",
        "languages": ["fr"],
        "meeting_modes": ["video"],
        "availability": ["mon_am"],
        "status": "waiting",
        "organization_name": f"Coop {uuid.uuid4().hex[:6]}",
        "legal_form": "solidarity_coop",
        "sector": "housing",
        "region": "06",
        "needs": ["governance"],
    }
    values.update(fields)
    mentee = Mentee(**values)
    async with unit_of_work(write=True) as db:
        db.add(mentee)
    return mentee


async def participant(
    client: httpx.AsyncClient, role: str, hub: Hub, profile_id: uuid.UUID
) -> Caller:
    """A logged-in mentor or mentee account linked to a profile."""
    return await login_as(client, role, hub, profile_id=profile_id)


async def propose(
    client: httpx.AsyncClient, staff: Caller, mentor: Mentor, mentee: Mentee
) -> httpx.Response:
    """POST /matches as staff."""
    return await client.post(
        "/api/v1/matches",
        json={"mentor_id": str(mentor.id), "mentee_id": str(mentee.id)},
        headers=staff.headers,
    )
