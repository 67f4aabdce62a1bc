"""Closed matches driven through the API, and the evaluation calls the tests make."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from app.hubs.models import Hub
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from tests.factories import Caller, login_as, make_hub
from tests.matches.helpers import make_mentee, make_mentor, participant, propose

API = "/api/v1"
GOOD = {"satisfaction": 5, "goals_met": 4, "learnings": "Déléguer davantage."}
TESTIMONIAL = "Un regard neutre, à cœur et à livre ouvert."


@dataclass
class Closed:
    """A match with its hub, its coordinator and both participants' logins."""

    hub: Hub
    coord: Caller
    mentor: Mentor
    mentee: Mentee
    mentor_login: Caller
    mentee_login: Caller
    match: dict[str, Any]

    @property
    def id(self) -> str:
        """The match id."""
        return str(self.match["id"])

    def login(self, side: str) -> Caller:
        """The mentor's or the mentee's login."""
        return self.mentor_login if side == "mentor" else self.mentee_login


async def _post(client: httpx.AsyncClient, who: Caller, url: str, body: Any = None) -> Any:
    response = await client.post(url, json=body, headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def a_match(
    client: httpx.AsyncClient,
    *,
    until: str = "completed",
    hub: Hub | None = None,
    mentor_fields: dict[str, Any] | None = None,
    mentee_fields: dict[str, Any] | None = None,
) -> Closed:
    """A match driven through the API up to `until` (proposed, active, completed, ended_early)."""
    hub = hub or await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub, **(mentor_fields or {}))
    mentee = await make_mentee(hub, **(mentee_fields or {}))
    created = await propose(client, coord, mentor, mentee)
    assert created.status_code == 201, created.text
    match = created.json()
    mentor_login = await participant(client, "mentor", hub, mentor.id)
    mentee_login = await participant(client, "mentee", hub, mentee.id)
    url = f"{API}/matches/{match['id']}"
    if until != "proposed":
        await _post(client, mentor_login, f"{url}/accept")
        await _post(client, mentee_login, f"{url}/accept")
        activation = {"agreement_signed_on": "2026-01-10", "starts_on": "2026-01-15"}
        match = await _post(client, coord, f"{url}/activate", activation)
    if until == "completed":
        match = await _post(client, coord, f"{url}/complete")
    elif until == "ended_early":
        match = await _post(client, coord, f"{url}/end", {"reason": "Déménagement"})
    assert match["status"] == until, match
    return Closed(hub, coord, mentor, mentee, mentor_login, mentee_login, match)


async def put_mine(
    client: httpx.AsyncClient,
    who: Caller,
    match_id: str,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """PUT /matches/{id}/evaluations/me as someone."""
    return await client.put(
        f"{API}/matches/{match_id}/evaluations/me",
        json=body,
        headers={**who.headers, **(headers or {})},
    )


async def evaluate(
    client: httpx.AsyncClient, who: Caller, match_id: str, **fields: Any
) -> dict[str, Any]:
    """Write an evaluation (GOOD plus fields) and return it."""
    response = await put_mine(client, who, match_id, {**GOOD, **fields})
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


async def public_testimonials(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    """Every published testimonial, without any token."""
    response = await client.get(f"{API}/testimonials", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def pending(client: httpx.AsyncClient, who: Caller) -> list[dict[str, Any]]:
    """The testimonials awaiting approval, as someone sees them."""
    response = await client.get(f"{API}/testimonials/pending", headers=who.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def approve(
    client: httpx.AsyncClient, who: Caller, evaluation_id: str, **headers: str
) -> httpx.Response:
    """POST /testimonials/{id}/approve as someone."""
    return await client.post(
        f"{API}/testimonials/{evaluation_id}/approve", headers={**who.headers, **headers}
    )
