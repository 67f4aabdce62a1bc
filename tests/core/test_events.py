"""Domain events: handlers run in the change's transaction; a refusing handler undoes the change."""

from __future__ import annotations

import pytest

from app.core import events
from app.core.errors import Conflict
from app.core.events import EVENT_TYPES, DomainEvent
from tests.factories import login_as, make_hub
from tests.people.common import API, create, mentor_body


@pytest.fixture
def recorder(monkeypatch):
    """Record every event published during the test, in order."""
    seen: list[DomainEvent] = []

    async def record(_db, event: DomainEvent) -> None:
        seen.append(event)

    everything = [*events._handlers.get(events.ANY, []), record]
    monkeypatch.setitem(events._handlers, events.ANY, everything)
    return seen


async def test_creating_a_profile_publishes_ids_only(client, recorder):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentee = await create(client, "mentees", coord.headers, first_name="Anaïs")
    created = [e for e in recorder if e.type == "mentee.created"]
    assert len(created) == 1
    assert created[0].hub_id == hub.id
    assert {k: str(v) for k, v in created[0].subject.items()} == {"mentee_id": mentee["id"]}
    assert "Anaïs" not in repr(created[0])


async def test_a_handler_that_refuses_rolls_the_change_back(client, monkeypatch):
    class Refused(Conflict):
        type = "already-exists"

    async def refuse(_db, _event: DomainEvent) -> None:
        raise Refused()

    monkeypatch.setitem(events._handlers, "mentor.created", [refuse])
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    answer = await client.post(
        f"{API}/mentors",
        json=mentor_body(),
        headers=coord.headers,
    )
    assert answer.status_code == 409
    listed = await client.get(f"{API}/mentors", headers=coord.headers)
    assert listed.json()["items"] == []


def test_unknown_event_types_are_refused_at_once():
    with pytest.raises(ValueError):
        events.subscribe("mentee.renamed")
    with pytest.raises(ValueError):
        DomainEvent(type="nothing.happened", hub_id=None, subject={})  # type: ignore[arg-type]
    assert len(set(EVENT_TYPES)) == len(EVENT_TYPES)
