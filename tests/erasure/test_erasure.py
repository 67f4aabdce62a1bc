"""Erasing a person destroys their key: their words are gone from every copy of the content."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from app.core import envelope
from app.core.db import get_engine
from app.core.keystore import KeyStoreError, get_keystore
from app.erasure.service import complete_pending_erasures
from tests.erasure.common import (
    seen,
    serving,
    sqlite_id,
    stored_values,
    write_everything,
)
from tests.factories import login_as
from tests.sessions.common import API, freeze


async def _anonymise(client, coord, mentee_id) -> None:  # type: ignore[no-untyped-def]
    r = await client.delete(f"{API}/mentees/{mentee_id}", headers=coord.headers)
    assert r.status_code == 204, r.text


async def test_a_backup_taken_before_an_erasure_no_longer_reads_that_person(
    client, monkeypatch, migrated, content_copy
):
    freeze(monkeypatch)
    erased = await write_everything(client, "A")
    other = await write_everything(client, "B", erased.pair.hub)
    mentee_id = erased.pair.mentee.id
    erased_keys = set(await get_keystore().key_ids_of(mentee_id))
    assert len(erased_keys) == 1
    backup = await content_copy()
    before = {v for *_, v in await stored_values()}

    await _anonymise(client, erased.pair.coord, mentee_id)
    assert await get_keystore().key_ids_of(mentee_id) == []

    async with serving(backup, migrated):
        # The backup still holds the erased person's ciphertexts, byte for byte...
        held = await stored_values()
        assert {v for *_, v in held} == before
        # ...but none of them opens with the live key store and the same service key.
        secrets = (erased.agenda, erased.summary, erased.comment, erased.mentee_note)
        under_erased_key = 0
        for table, column, row_id, value in held:
            place = envelope.Place(table, column, uuid.UUID(row_id))
            text = await envelope.open_value(place, value)
            assert text not in secrets
            if envelope.key_id_of(value) in erased_keys:
                under_erased_key += 1
                assert text is None
        assert under_erased_key == len(secrets)
        # Through the API (the backup still has their account): erased, never an error.
        shown = await seen(client, erased)
        assert (shown.agenda, shown.summary, shown.comment, shown.mentee_note) == (None,) * 4
        # What the mentor wrote for themself is under the mentor's key: it still reads.
        assert shown.mentor_note == erased.mentor_note
        # Other people's content reads as before.
        theirs = await seen(client, other)
        assert theirs.agenda == other.agenda and theirs.summary == other.summary
        assert theirs.comment == other.comment
        assert (theirs.mentor_note, theirs.mentee_note) == (other.mentor_note, other.mentee_note)

    # The live database: erased as before, the other pair untouched.
    assert (await seen(client, other)).agenda == other.agenda


async def test_the_audit_log_records_the_destruction_never_the_key(client, monkeypatch):
    freeze(monkeypatch)
    w = await write_everything(client, "A")
    key_ids = await get_keystore().key_ids_of(w.pair.mentee.id)
    assert len(key_ids) == 1
    await _anonymise(client, w.pair.coord, w.pair.mentee.id)
    admin = await login_as(client, "admin")
    r = await client.get(
        f"{API}/audit-events", params={"action": "destroy_data_key"}, headers=admin.headers
    )
    assert r.status_code == 200, r.text
    mine = [e for e in r.json()["items"] if e["details"].get("owner_id") == str(w.pair.mentee.id)]
    (entry,) = mine
    assert entry["resource_type"] == "key_destruction"
    assert entry["actor"]["type"] == "system"
    assert entry["details"] == {
        "reason": "erasure",
        "keys": 1,
        "owner_type": "mentee",
        "owner_id": str(w.pair.mentee.id),
    }
    assert str(key_ids[0]) not in r.text


async def test_a_crash_before_the_key_is_destroyed_is_repaired(client, monkeypatch):
    freeze(monkeypatch)
    w = await write_everything(client, "A")
    store = get_keystore()

    async def down(_owner_id: uuid.UUID) -> int:
        raise KeyStoreError()

    monkeypatch.setattr(store, "erase_owner", down)
    # The erasure itself commits; the key store being down does not undo it.
    await _anonymise(client, w.pair.coord, w.pair.mentee.id)
    assert len(await store.key_ids_of(w.pair.mentee.id)) == 1
    shown = await client.get(f"{API}/sessions/{w.session_id}", headers=w.pair.mentor_user.headers)
    assert shown.status_code == 200 and shown.json()["agenda"] is None
    monkeypatch.undo()
    freeze(monkeypatch)

    # Next start (or `mentorat retention`) finishes the job, once.
    assert await complete_pending_erasures() >= 1
    assert await store.key_ids_of(w.pair.mentee.id) == []
    assert await complete_pending_erasures() == 0
    # An erased person never gets a new key: nothing can be sealed for them again.
    assert await store.current(w.pair.mentee.id) is None


async def test_a_ciphertext_copied_to_another_row_or_column_does_not_open(client, monkeypatch):
    freeze(monkeypatch)
    w = await write_everything(client, "A")
    second = await client.post(
        f"{API}/sessions",
        json={
            "match_id": w.pair.id,
            "scheduled_at": "2026-06-20T14:00:00+00:00",
            "mode": "video",
            "agenda": "Autre rencontre",
        },
        headers=w.pair.mentee_user.headers,
    )
    assert second.status_code == 201, second.text
    other_id = second.json()["id"]
    async with get_engine().begin() as conn:
        agenda = (
            await conn.execute(
                sa.text("SELECT agenda FROM mentoring_session WHERE id = :id"),
                {"id": sqlite_id(conn, w.session_id)},
            )
        ).scalar_one()
        # Same person, same key: only the place bound to the ciphertext tells them apart.
        await conn.execute(
            sa.text("UPDATE mentoring_session SET agenda = :v WHERE id = :id"),
            {"v": agenda, "id": sqlite_id(conn, other_id)},
        )
        await conn.execute(
            sa.text("UPDATE mentoring_session SET summary = :v WHERE id = :id"),
            {"v": agenda, "id": sqlite_id(conn, w.session_id)},
        )
    key = await envelope.key_by_id(envelope.key_id_of(agenda))  # type: ignore[arg-type]
    assert key is not None
    here = envelope.Place("mentoring_session", "agenda", uuid.UUID(w.session_id))
    assert envelope.open_with(key, here, agenda) == w.agenda
    for place in (
        envelope.Place("mentoring_session", "agenda", uuid.UUID(other_id)),
        envelope.Place("mentoring_session", "summary", uuid.UUID(w.session_id)),
    ):
        with pytest.raises(envelope.CiphertextMismatch):
            envelope.open_with(key, place, agenda)
    # The API shows neither copy (and answers 200, not 500).
    moved = await client.get(f"{API}/sessions/{other_id}", headers=w.pair.mentee_user.headers)
    assert moved.status_code == 200 and moved.json()["agenda"] is None
    shown = await seen(client, w)
    assert shown.agenda == w.agenda and shown.summary is None


async def test_the_next_start_completes_a_destruction_left_pending(client, monkeypatch, app):
    freeze(monkeypatch)
    w = await write_everything(client, "A")
    store = get_keystore()

    async def down(_owner_id: uuid.UUID) -> int:
        raise KeyStoreError()

    monkeypatch.setattr(store, "erase_owner", down)
    await _anonymise(client, w.pair.coord, w.pair.mentee.id)
    monkeypatch.undo()
    assert len(await store.key_ids_of(w.pair.mentee.id)) == 1

    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[str] = []

    async def receive():  # type: ignore[no-untyped-def]
        return next(messages)

    async def send(message):  # type: ignore[no-untyped-def]
        sent.append(message["type"])

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert await store.key_ids_of(w.pair.mentee.id) == []


async def test_an_unreachable_key_store_is_a_503_not_a_500(client, monkeypatch):
    freeze(monkeypatch)
    w = await write_everything(client, "A")
    store = get_keystore()

    async def down(_key_id: uuid.UUID) -> None:
        raise KeyStoreError()

    monkeypatch.setattr(store, "get", down)
    envelope.key_cache().clear()
    r = await client.get(f"{API}/sessions/{w.session_id}", headers=w.pair.mentee_user.headers)
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    assert w.agenda not in r.text
