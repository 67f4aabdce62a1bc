"""Envelope encryption of confidential text under the data key of the person it belongs to.

A sealed value is `k1.` + base64url(key id ‖ nonce ‖ AES-256-GCM ciphertext and tag). The
associated data binds it to its place (`table.column/record id`), so a value copied to
another row or column fails authentication. A value whose key was destroyed (the person
was erased, or the key replaced after a re-encryption) opens as None: erased, never an
error, also when it comes from a backup of the content database.

Values written before per-person keys (plain Fernet tokens of MENTORAT_DATA_KEY) still
open with the service key until the migration has moved them (zero downtime).

Unwrapped keys stay in memory for MENTORAT_KEY_CACHE_SECONDS (60 s by default, a bounded
number of them) so that a page of sessions costs no round trip to the key store.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.core import crypto
from app.core.config import get_settings
from app.core.keystore import PersonKey, get_keystore

log = logging.getLogger(__name__)

PREFIX = "k1."
NONCE_BYTES = 12
MAX_CACHED_KEYS = 4096


class CiphertextMismatch(ValueError):
    """A sealed value does not belong where it was found (moved or tampered with)."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value lives; bound to its ciphertext as associated data."""

    table: str
    column: str
    record_id: uuid.UUID

    def aad(self) -> bytes:
        """The associated data of a value at this place."""
        return f"mentorat/{self.table}.{self.column}/{self.record_id}".encode()


class _KeyCache:
    """A bounded, short-lived memory of unwrapped keys (and of keys known to be gone)."""

    def __init__(self) -> None:
        self._by_id: OrderedDict[uuid.UUID, tuple[float, PersonKey | None]] = OrderedDict()
        self._current: OrderedDict[uuid.UUID, tuple[float, PersonKey]] = OrderedDict()

    @staticmethod
    def _ttl() -> float:
        return float(get_settings().key_cache_seconds)

    def _expiry(self) -> float | None:
        ttl = float(get_settings().key_cache_seconds)
        return None if ttl <= 0 else time.monotonic() + ttl

    @staticmethod
    def _bound(store: OrderedDict[uuid.UUID, tuple[float, PersonKey | None]]) -> None:
        while len(store) > MAX_CACHED_KEYS:
            store.popitem(last=False)

    def get_by_id(self, key_id: uuid.UUID) -> tuple[bool, PersonKey | None]:
        entry = self._by_id.get(key_id)
        if entry is None or entry[0] < time.monotonic():
            self._by_id.pop(key_id, None)
            return False, None
        return True, entry[1]

    def get_current(self, owner_id: uuid.UUID) -> PersonKey | None:
        entry = self._current.get(owner_id)
        if entry is None or entry[0] < time.monotonic():
            self._current.pop(owner_id, None)
            return None
        return entry[1]

    def remember(self, key_id: uuid.UUID, key: PersonKey | None) -> None:
        expiry = self._expiry()
        if expiry is not None:
            self._by_id[key_id] = (expiry, key)
            self._by_id.move_to_end(key_id)
            self._bound(self._by_id)

    def remember_current(self, key: PersonKey) -> None:
        expiry = self._expiry()
        if expiry is not None:
            self._current[key.owner_id] = (expiry, key)
            self._current.move_to_end(key.owner_id)
            while len(self._current) > MAX_CACHED_KEYS:
                self._current.popitem(last=False)
            self.remember(key.id, key)

    def forget_owner(self, owner_id: uuid.UUID) -> None:
        self._current.pop(owner_id, None)
        for key_id in [k for k, (_, v) in self._by_id.items() if v and v.owner_id == owner_id]:
            self._by_id.pop(key_id, None)

    def clear(self) -> None:
        self._by_id.clear()
        self._current.clear()


@lru_cache
def key_cache() -> _KeyCache:
    """The process's cache of unwrapped keys."""
    return _KeyCache()


def forget(owner_id: uuid.UUID) -> None:
    """Drop an owner's keys from this process's memory (erasure, re-encryption)."""
    key_cache().forget_owner(owner_id)


async def key_by_id(key_id: uuid.UUID) -> PersonKey | None:
    """A key by id, from memory or the key store; None once destroyed."""
    cache = key_cache()
    known, key = cache.get_by_id(key_id)
    if known:
        return key
    key = await get_keystore().get(key_id)
    cache.remember(key_id, key)
    return key


async def current_key(owner_id: uuid.UUID) -> PersonKey | None:
    """The key new content of this owner is sealed with; None if the owner was erased."""
    cache = key_cache()
    key = cache.get_current(owner_id)
    if key is None:
        key = await get_keystore().current(owner_id)
        if key is not None:
            cache.remember_current(key)
    return key


def is_sealed(value: str) -> bool:
    """Whether a stored value is sealed under a person's key (not a legacy service-key token)."""
    return value.startswith(PREFIX)


def key_id_of(value: str) -> uuid.UUID | None:
    """The id of the key a sealed value needs (None for a legacy or malformed value)."""
    raw = _decode(value)
    return None if raw is None else uuid.UUID(bytes=raw[:16])


def _decode(value: str) -> bytes | None:
    if not is_sealed(value):
        return None
    try:
        raw = base64.urlsafe_b64decode(value[len(PREFIX) :].encode())
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) > 16 + NONCE_BYTES else None


def seal_with(key: PersonKey, place: Place, text: str) -> str:
    """Encrypt a text under a key, bound to its place."""
    nonce = os.urandom(NONCE_BYTES)
    body = AESGCM(key.secret).encrypt(nonce, text.encode(), place.aad())
    return PREFIX + base64.urlsafe_b64encode(key.id.bytes + nonce + body).decode()


def open_with(key: PersonKey, place: Place, value: str) -> str:
    """Decrypt a sealed value with its key; raises CiphertextMismatch if it is not at its place."""
    raw = _decode(value)
    if raw is None or raw[:16] != key.id.bytes:
        raise CiphertextMismatch("not a value sealed with this key")
    nonce, body = raw[16 : 16 + NONCE_BYTES], raw[16 + NONCE_BYTES :]
    try:
        return AESGCM(key.secret).decrypt(nonce, body, place.aad()).decode()
    except InvalidTag:
        raise CiphertextMismatch(
            f"sealed value does not belong to {place.table}.{place.column}"
        ) from None


async def seal(owner_id: uuid.UUID, place: Place, text: str) -> str | None:
    """Encrypt a text under its owner's current key; None when the owner was erased."""
    key = await current_key(owner_id)
    return None if key is None else seal_with(key, place, text)


def open_from_memory(place: Place, value: str) -> tuple[bool, str | None]:
    """Open a value without I/O when possible: (True, text), or (False, None) if a key is needed."""
    if not is_sealed(value):
        return True, _open_legacy(place, value)
    key_id = key_id_of(value)
    if key_id is None:
        return True, None
    known, key = key_cache().get_by_id(key_id)
    if not known:
        return False, None
    return True, None if key is None else open_with(key, place, value)


async def open_value(place: Place, value: str) -> str | None:
    """The text of a stored value; None when its key is gone (erased)."""
    if not is_sealed(value):
        return _open_legacy(place, value)
    key_id = key_id_of(value)
    if key_id is None:
        log.warning("malformed sealed value in %s.%s", place.table, place.column)
        return None
    key = await key_by_id(key_id)
    if key is None:
        return None
    return open_with(key, place, value)


def _open_legacy(place: Place, value: str) -> str | None:
    try:
        return crypto.decrypt(value)
    except crypto.DataKeyError:
        log.warning("value in %s.%s opens with no key", place.table, place.column)
        return None
