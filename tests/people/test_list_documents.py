"""A profile in a list page is the same document as the profile read alone, on both databases.

Lists write their page without the pydantic schema (PostgreSQL builds each profile's JSON in the
query, SQLite's rows are encoded once by app/people/pages.py): these tests hold both to the
schema's own output, byte for byte, over data that exercises every kind of value (nulls, lists,
unicode, quotes, consent, whole and fractional seconds).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from app.core.db import unit_of_work
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from tests.factories import login_as, make_hub
from tests.matches.helpers import make_mentee, make_mentor, participant, propose
from tests.people.common import API, create

MODELS = {"mentors": Mentor, "mentees": Mentee}


def _ordered(text: bytes | str) -> Any:
    """The JSON value with each object's keys kept in their written order."""
    return json.loads(text, object_pairs_hook=lambda pairs: pairs)


async def _same_documents(client, plural: str, headers: dict[str, str], expected: int) -> None:
    listed = await client.get(f"{API}/{plural}", params={"limit": 50}, headers=headers)
    assert listed.status_code == 200, listed.text
    page = dict(_ordered(listed.content))
    items = page["items"]
    assert len(items) == expected
    bodies = []
    for item in items:
        profile_id = dict(item)["id"]
        alone = await client.get(f"{API}/{plural}/{profile_id}", headers=headers)
        assert alone.status_code == 200, alone.text
        assert item == _ordered(alone.content), profile_id
        bodies.append(alone.content)
    # Byte for byte: the page is the documents the schema writes, one after the other.
    assert listed.content == b'{"items":[' + b",".join(bodies) + b'],"next_cursor":null}'


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_a_listed_profile_is_the_profile_read_alone(client, plural):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    headers = coordinator.headers
    plain = await create(client, plural, headers)
    # Free text in a list (a mentor's excluded organisations): commas, quotes, the very
    # `", "` that separates elements, backslashes, a line break.
    free_text = (
        {"excluded_organizations": ['Coop "La Remise", Montréal', 'x", "y', "a\\b", "l1\nl2"]}
        if plural == "mentors"
        else {}
    )
    await create(
        client,
        plural,
        headers,
        phone=None,
        first_name="Zoé « Zed » O'Brien-Nguyễn",
        last_name='Tremblay "dit" \\ Gagnon',
        **free_text,
    )
    consented = await create(client, plural, headers)
    given = await client.post(
        f"{API}/{plural}/{consented['id']}/consent", json={"version": "2026-01"}, headers=headers
    )
    assert given.status_code == 200, given.text
    # One profile on a whole second, the others on the microseconds of their creation.
    async with unit_of_work(write=True) as db:
        table = MODELS[plural]
        await db.execute(
            sa.update(table)
            .where(table.id == uuid.UUID(plain["id"]))  # type: ignore[arg-type]
            .values(created_at=datetime(2026, 3, 2, 14, 0, tzinfo=UTC))
        )
    await _same_documents(client, plural, headers, expected=3)


async def test_a_peer_sees_the_same_peer_document_in_a_list_and_alone(client):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub)
    mentee = await make_mentee(hub, phone=None, goals="Structurer « la relève »\n\tet \\ le reste")
    assert (await propose(client, coordinator, mentor, mentee)).status_code == 201
    peer = await participant(client, "mentor", hub, mentor.id)
    # The mentor reads the mentee of their match in the peer view, listed and alone.
    await _same_documents(client, "mentees", peer.headers, expected=1)
