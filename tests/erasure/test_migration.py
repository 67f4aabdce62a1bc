"""Migration 0012b moves content written under the service key to per-person keys."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from app.core import crypto, envelope
from app.core.db import get_engine
from app.core.keystore import get_keystore
from app.core.migrate import downgrade, upgrade
from tests.erasure.common import seen, sqlite_id, stored_values, write_everything
from tests.sessions.common import freeze


async def _as_before_per_person_keys() -> int:
    """Turn every sealed value back into a service-key token, as the content was before."""
    values = await stored_values()
    async with get_engine().begin() as conn:
        for table, column, row_id, value in values:
            text = await envelope.open_value(
                envelope.Place(table, column, uuid.UUID(row_id)), value
            )
            assert text is not None
            await conn.execute(
                sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :id"),
                {"v": crypto.encrypt(text), "id": sqlite_id(conn, row_id)},
            )
    return len(values)


async def _forget_every_key(owner_ids: list[uuid.UUID]) -> None:
    store = get_keystore()
    for owner_id in owner_ids:
        await store.destroy_keys(await store.key_ids_of(owner_id))
    envelope.key_cache().clear()


async def _version() -> str:
    async with get_engine().connect() as conn:
        return str(
            (await conn.execute(sa.text("SELECT version_num FROM alembic_version"))).scalar()
        )


async def test_existing_content_moves_under_person_keys_without_losing_a_row(
    client, monkeypatch, migrated
):
    freeze(monkeypatch)
    first = await write_everything(client, "A")
    second = await write_everything(client, "B", first.pair.hub)
    people = [first.pair.mentee.id, first.pair.mentor.id, second.pair.mentee.id]
    people.append(second.pair.mentor.id)
    count = await _as_before_per_person_keys()
    assert count == 10
    await _forget_every_key(people)
    head = await _version()

    # The schema as it was before the move (nothing is sealed yet, so it may go back).
    await get_engine().dispose()
    downgrade(migrated, "0012")
    assert await _version() == "0012"
    assert not any(envelope.is_sealed(v) for *_, v in await stored_values())
    # The new code reads the old form meanwhile: no downtime while the move runs.
    shown = await seen(client, first)
    assert (shown.agenda, shown.mentee_note) == (first.agenda, first.mentee_note)

    await get_engine().dispose()
    upgrade(migrated)
    assert await _version() == head
    after = await stored_values()
    assert len(after) == count
    assert all(envelope.is_sealed(v) for *_, v in after)
    for value in (v for *_, v in after):
        with pytest.raises(crypto.DataKeyError):
            crypto.decrypt(value)
    # One key per person, made by the migration, and every word still reads.
    for person in people:
        assert len(await get_keystore().key_ids_of(person)) == 1
    envelope.key_cache().clear()
    for w in (first, second):
        shown = await seen(client, w)
        assert (shown.agenda, shown.summary, shown.comment) == (w.agenda, w.summary, w.comment)
        assert (shown.mentor_note, shown.mentee_note) == (w.mentor_note, w.mentee_note)

    # Once content is sealed under person keys, the downgrade is refused, clearly.
    await get_engine().dispose()
    with pytest.raises(RuntimeError, match="refusing to downgrade below 0012b"):
        downgrade(migrated, "0012")
    assert await _version() == head
