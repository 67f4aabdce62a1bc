"""`mentorat rotate-data-key`: rewrap every person key; `--reencrypt`: a new key for one person."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from app.core import envelope, sealing
from app.core.config import get_settings
from app.core.db import get_engine, unit_of_work
from app.core.keystore import PersonKey, get_keystore
from app.erasure import repository as repo
from app.erasure import service
from app.sessions import rotation as sessions_rotation


class PersonNotFound(LookupError):
    """No mentor or mentee has this id, or they were erased."""


@dataclass(frozen=True, slots=True)
class Rotation:
    """What a rotation changed."""

    keys_rewrapped: int
    values_reencrypted: int


async def rotate_data_key() -> Rotation:
    """Wrap every person key with the first service key; one key store row per key.

    Content sealed under person keys is not touched. Values still encrypted with the
    service key itself (idempotency records, content not yet migrated) are re-encrypted.
    Safe while the service serves: both wraps unwrap for as long as the old service key
    stays configured.
    """
    store = get_keystore()
    try:
        await service.complete_pending_erasures()
        keys = await store.rewrap_all()
        values = await sessions_rotation.rotate_data_key()
        return Rotation(keys_rewrapped=keys, values_reencrypted=values)
    finally:
        await store.dispose()
        await get_engine().dispose()


async def _reseal(
    old: dict[uuid.UUID, PersonKey],
    new: PersonKey,
    then_destroy: tuple[str, uuid.UUID | None] | None = None,
) -> int:
    """Re-seal every value under one of the old keys with the new one; returns the count.

    With `then_destroy` (owner type, hub), the same transaction asks for the old keys'
    destruction: it happens only once nothing sealed with them is left.
    """
    changed = 0
    async with unit_of_work(write=True) as db:
        for spec in sealing.REGISTRY.values():
            for row in await repo.sealed_rows(db, spec.table, spec.columns, envelope.PREFIX):
                row_id = row[0]
                values: tuple[str | None, ...] = tuple(row[1:])
                for column, value in zip(spec.columns, values, strict=True):
                    if value is None:
                        continue
                    key_id = envelope.key_id_of(value)
                    key = old.get(key_id) if key_id is not None else None
                    if key is None:
                        continue
                    place = envelope.Place(spec.table, column, row_id)
                    try:
                        text = envelope.open_with(key, place, value)
                    except envelope.CiphertextMismatch:
                        continue  # not at its place: unreadable either way
                    resealed = envelope.seal_with(new, place, text)
                    if await repo.replace_value(db, spec.table, column, row_id, value, resealed):
                        changed += 1
        if then_destroy is not None:
            owner_type, hub_id = then_destroy
            service.request_key_destruction(db, owner_type, new.owner_id, hub_id, list(old))
    return changed


async def reencrypt_person(person_id: uuid.UUID, *, grace_seconds: float | None = None) -> int:
    """Re-encrypt one person's content under a new key of theirs, then destroy the old keys.

    Other processes may seal with the old key for as long as they cache it; the old keys
    are destroyed only after that delay and a second pass over what was written meanwhile.
    """
    store = get_keystore()
    try:
        async with unit_of_work(write=False) as db:
            found = await repo.person(db, person_id)
        if found is None or found[1].anonymised_at is not None:
            raise PersonNotFound(str(person_id))
        kind, profile = found
        old_ids = await store.key_ids_of(person_id)
        old = {k.id: k for k in [await store.get(i) for i in old_ids] if k is not None}
        new = await store.create(person_id)
        if new is None:
            raise PersonNotFound(str(person_id))
        envelope.forget(person_id)
        envelope.key_cache().remember_current(new)
        changed = await _reseal(old, new)
        wait = get_settings().key_cache_seconds if grace_seconds is None else grace_seconds
        if wait > 0:
            await asyncio.sleep(wait)
        changed += await _reseal(old, new, then_destroy=(kind, profile.hub_id))
        await service.complete_pending_erasures()
        return changed
    finally:
        await store.dispose()
        await get_engine().dispose()
