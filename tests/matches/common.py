"""Shared steps of the match tests: a hub with staff, a proposed match, moving it along."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from app.hubs.models import Hub
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from tests.factories import Caller, login_as, make_hub
from tests.matches.helpers import make_mentee, make_mentor, propose

API = "/api/v1"
ACTIVATION = {"agreement_signed_on": "2026-01-10", "starts_on": "2026-01-15"}


@dataclass
class Pair:
    """A proposed match with its hub, coordinator, mentor and mentee."""

    hub: Hub
    coord: Caller
    mentor: Mentor
    mentee: Mentee
    match: dict[str, Any]

    @property
    def id(self) -> str:
        """The match id."""
        return str(self.match["id"])


async def proposed_pair(client: httpx.AsyncClient, **mentor_fields: Any) -> Pair:
    """A new hub, its coordinator, and a freshly proposed match."""
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub, **mentor_fields)
    mentee = await make_mentee(hub)
    created = await propose(client, coord, mentor, mentee)
    assert created.status_code == 201, created.text
    return Pair(hub, coord, mentor, mentee, created.json())


async def act(
    client: httpx.AsyncClient,
    who: Caller,
    match_id: str,
    action: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST /matches/{id}/{action} as someone."""
    return await client.post(
        f"{API}/matches/{match_id}/{action}",
        json=body,
        headers={**who.headers, **(headers or {})},
    )


async def accept_both(client: httpx.AsyncClient, pair: Pair) -> dict[str, Any]:
    """Staff record both sides' acceptance; returns the accepted match."""
    for side in ("mentor", "mentee"):
        r = await act(client, pair.coord, pair.id, "accept", {"side": side})
        assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert body["status"] == "accepted"
    return body


async def activated(client: httpx.AsyncClient, pair: Pair) -> dict[str, Any]:
    """Accept both sides, then activate; returns the active match."""
    await accept_both(client, pair)
    r = await act(client, pair.coord, pair.id, "activate", ACTIVATION)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def history(client: httpx.AsyncClient, who: Caller, match_id: str) -> list[dict[str, Any]]:
    """The match's history entries."""
    r = await client.get(f"{API}/matches/{match_id}/history", headers=who.headers)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def mentee_status(client: httpx.AsyncClient, staff: Caller, mentee: Mentee) -> str:
    """The mentee's status as staff read it."""
    r = await client.get(f"{API}/mentees/{mentee.id}", headers=staff.headers)
    assert r.status_code == 200, r.text
    return str(r.json()["status"])


async def propose_ids(
    client: httpx.AsyncClient, who: Caller | dict[str, str], mentor_id: Any, mentee_id: Any
) -> httpx.Response:
    """POST /matches with raw ids, as a caller or with raw headers."""
    headers = who if isinstance(who, dict) else who.headers
    return await client.post(
        f"{API}/matches",
        json={"mentor_id": str(mentor_id), "mentee_id": str(mentee_id)},
        headers=headers,
    )
