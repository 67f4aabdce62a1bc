"""Shared set-ups of the session tests: an active pair with accounts, a frozen clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.core import clock
from app.hubs.models import Hub
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from tests.factories import Caller, login_as, make_hub
from tests.helpers import new_api_client
from tests.matches.helpers import make_mentee, make_mentor, participant, propose

API = "/api/v1"
# The tests' "now": a Monday of June (daylight saving time in Montréal, UTC-4).
NOW = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)
STARTS_ON = "2026-01-15"


def freeze(monkeypatch: pytest.MonkeyPatch, moment: datetime = NOW) -> None:
    """Make the service's clock answer `moment` (today() follows)."""
    monkeypatch.setattr(clock, "now", lambda: moment)


def iso(moment: datetime) -> str:
    """An aware timestamp as the API takes it."""
    return moment.isoformat()


def parse(value: str) -> datetime:
    """A timestamp the API answered."""
    return datetime.fromisoformat(value)


@dataclass
class Pair:
    """A hub, its coordinator, and a match with both participants logged in."""

    hub: Hub
    coord: Caller
    mentor: Mentor
    mentee: Mentee
    mentor_user: Caller
    mentee_user: Caller
    match: dict[str, Any]

    @property
    def id(self) -> str:
        """The match id."""
        return str(self.match["id"])


async def open_match(
    client: httpx.AsyncClient,
    coord: Caller,
    mentor: Mentor,
    mentee: Mentee,
    *,
    status: str = "active",
    starts_on: str = STARTS_ON,
    ends_on: str | None = None,
) -> dict[str, Any]:
    """Propose a match, then take it to `proposed`, `accepted` or `active`."""
    r = await propose(client, coord, mentor, mentee)
    assert r.status_code == 201, r.text
    match: dict[str, Any] = r.json()
    if status == "proposed":
        return match
    for side in ("mentor", "mentee"):
        r = await client.post(
            f"{API}/matches/{match['id']}/accept", json={"side": side}, headers=coord.headers
        )
        assert r.status_code == 200, r.text
    if status == "active":
        r = await client.post(
            f"{API}/matches/{match['id']}/activate",
            json={"agreement_signed_on": starts_on, "starts_on": starts_on, "ends_on": ends_on},
            headers=coord.headers,
        )
        assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    assert result["status"] == status
    return result


async def make_pair(
    client: httpx.AsyncClient,
    hub: Hub | None = None,
    coord: Caller | None = None,
    *,
    status: str = "active",
    starts_on: str = STARTS_ON,
    ends_on: str | None = None,
    mentor: Mentor | None = None,
    mentor_user: Caller | None = None,
) -> Pair:
    """A match (active by default) with logged-in mentor and mentee accounts."""
    hub = hub or await make_hub()
    coord = coord or await login_as(client, "coordinator", hub)
    mentor = mentor or await make_mentor(hub)
    mentee = await make_mentee(hub)
    match = await open_match(
        client, coord, mentor, mentee, status=status, starts_on=starts_on, ends_on=ends_on
    )
    mentor_user = mentor_user or await participant(client, "mentor", hub, mentor.id)
    mentee_user = await participant(client, "mentee", hub, mentee.id)
    return Pair(hub, coord, mentor, mentee, mentor_user, mentee_user, match)


async def schedule(
    client: httpx.AsyncClient,
    who: Caller | dict[str, str],
    match_id: str,
    at: datetime,
    **fields: Any,
) -> httpx.Response:
    """POST /sessions as someone (a Caller or plain headers)."""
    body: dict[str, Any] = {"match_id": match_id, "scheduled_at": iso(at), "mode": "video"}
    body.update(fields)
    headers = who.headers if isinstance(who, Caller) else who
    return await client.post(f"{API}/sessions", json=body, headers=headers)


async def scheduled(
    client: httpx.AsyncClient, who: Caller, match_id: str, at: datetime, **fields: Any
) -> dict[str, Any]:
    """A session that was scheduled successfully."""
    r = await schedule(client, who, match_id, at, **fields)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def act(
    client: httpx.AsyncClient,
    who: Caller,
    session_id: str,
    action: str,
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    """POST /sessions/{id}/{action}."""
    return await client.post(
        f"{API}/sessions/{session_id}/{action}", json=body, headers=who.headers
    )


async def held(
    client: httpx.AsyncClient, pair: Pair, at: datetime, minutes: int = 60, **fields: Any
) -> dict[str, Any]:
    """A session of the pair at `at` (in the past), held by the mentor."""
    session = await scheduled(client, pair.mentor_user, pair.id, at, duration_minutes=minutes)
    r = await act(
        client, pair.mentor_user, session["id"], "hold", {"duration_minutes": minutes, **fields}
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def api_client_headers(
    client: httpx.AsyncClient, staff: Caller, hub: Hub, scopes: tuple[str, ...]
) -> dict[str, str]:
    """Bearer headers of a new API client of the hub, with these scopes."""
    created = await new_api_client(client, staff.headers, hub.id, scopes)
    r = await client.post(
        f"{API}/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created["client_id"],
            "client_secret": created["client_secret"],
        },
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def hours(n: float) -> timedelta:
    """A number of hours."""
    return timedelta(hours=n)
