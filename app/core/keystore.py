"""The per-person key store: each person's data key, wrapped by the service key, kept apart.

Every mentor and mentee has a data-encryption key of their own (AES-256); what is written
by or about them is encrypted under it (app.core.envelope). The keys live here, wrapped by
the service keys of MENTORAT_DATA_KEY (MultiFernet: the first wraps, all unwrap), in a
database of their own (MENTORAT_KEYSTORE_URL), so that a backup of the content database
holds no key. Erasing a person deletes their keys here and leaves a tombstone (their id,
no key), so that no new key is ever made for them.

The interface is the `KeyStore` protocol: a managed key service (a cloud KMS holding the
wrapping key) can replace `SqlKeyStore` without the rest of the app noticing.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from cryptography.fernet import InvalidToken
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core import crypto
from app.core.config import get_settings
from app.core.db import NAMING_CONVENTION, make_async_engine, make_sync_engine
from app.core.errors import ServiceUnavailable
from app.core.types import UTCDateTime, utcnow

T = TypeVar("T")
log = logging.getLogger(__name__)

#: The key store's own schema, kept out of the content database's metadata (and Alembic).
metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

data_key = sa.Table(
    "data_key",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("owner_id", sa.Uuid(), nullable=False, index=True),
    # The key, encrypted by the first service key of MENTORAT_DATA_KEY (a Fernet token).
    sa.Column("wrapped", sa.Text(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("rewrapped_at", UTCDateTime(), nullable=True),
)

erased_owner = sa.Table(
    "erased_owner",
    metadata,
    sa.Column("owner_id", sa.Uuid(), primary_key=True),
    sa.Column("erased_at", UTCDateTime(), nullable=False),
)

KEY_BYTES = 32


class KeyStoreError(ServiceUnavailable):
    """503: the key store cannot serve (unreachable, or no service key unwraps its keys)."""


@dataclass(frozen=True, slots=True)
class PersonKey:
    """One data key of a person, unwrapped (lives in memory only)."""

    id: uuid.UUID
    owner_id: uuid.UUID
    secret: bytes = field(repr=False)


class KeyStore(Protocol):
    """What the app needs from a key store; a managed key service can implement it."""

    async def create(self, owner_id: uuid.UUID) -> PersonKey | None:
        """A new key for the owner (their current one from now on); None if they were erased."""
        ...

    async def current(self, owner_id: uuid.UUID) -> PersonKey | None:
        """The owner's newest key, creating one if they have none; None if they were erased."""
        ...

    async def get(self, key_id: uuid.UUID) -> PersonKey | None:
        """A key by its id; None once it was destroyed."""
        ...

    async def key_ids_of(self, owner_id: uuid.UUID) -> list[uuid.UUID]:
        """The ids of every key the owner has."""
        ...

    async def destroy_keys(self, key_ids: Sequence[uuid.UUID]) -> int:
        """Delete these keys (after a re-encryption); returns how many existed."""
        ...

    async def erase_owner(self, owner_id: uuid.UUID) -> int:
        """Delete every key of the owner and remember they were erased; returns the count."""
        ...

    async def rewrap_all(self) -> int:
        """Wrap every key with the first service key; returns the number of keys."""
        ...

    async def dispose(self) -> None:
        """Release connections."""
        ...


def default_url(database_url: str) -> str:
    """Where the key store lives when MENTORAT_KEYSTORE_URL is unset, beside the content."""
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if not path or path == ":memory:":
            return "sqlite:///./mentorat-keys.db"
        stem, ext = os.path.splitext(path)
        return parsed.set(database=f"{stem}-keys{ext or '.db'}").render_as_string(
            hide_password=False
        )
    return parsed.set(database=f"{parsed.database or 'mentorat'}_keys").render_as_string(
        hide_password=False
    )


def configured_url(database_url: str | None = None) -> str:
    """MENTORAT_KEYSTORE_URL, or the default beside the content database."""
    settings = get_settings()
    return settings.keystore_url or default_url(database_url or settings.database_url)


def _wrap(secret: bytes) -> str:
    return crypto.cipher().encrypt(secret).decode()


def _unwrap(wrapped: str) -> bytes:
    try:
        return crypto.cipher().decrypt(wrapped.encode())
    except InvalidToken:
        log.error("no key of MENTORAT_DATA_KEY unwraps the person keys")
        raise KeyStoreError() from None


# The operations themselves, on a connection of either flavour (the app's async engine
# runs them through run_sync; the migration and the command line call them directly).


def _row_key(row: Any) -> PersonKey:
    return PersonKey(id=row.id, owner_id=row.owner_id, secret=_unwrap(row.wrapped))


def _is_erased(conn: sa.Connection, owner_id: uuid.UUID) -> bool:
    stmt = sa.select(erased_owner.c.owner_id).where(erased_owner.c.owner_id == owner_id)
    return conn.execute(stmt).first() is not None


def op_create(conn: sa.Connection, owner_id: uuid.UUID) -> PersonKey | None:
    """Insert a new key for the owner, unless they were erased."""
    if _is_erased(conn, owner_id):
        return None
    key = PersonKey(id=uuid.uuid4(), owner_id=owner_id, secret=os.urandom(KEY_BYTES))
    conn.execute(
        data_key.insert().values(
            id=key.id, owner_id=owner_id, wrapped=_wrap(key.secret), created_at=utcnow()
        )
    )
    return key


def op_current(conn: sa.Connection, owner_id: uuid.UUID) -> PersonKey | None:
    """The owner's newest key, a new one if they have none, None if erased."""
    stmt = (
        sa.select(data_key)
        .where(data_key.c.owner_id == owner_id)
        .order_by(data_key.c.created_at.desc(), data_key.c.id.desc())
        .limit(1)
    )
    row = conn.execute(stmt).first()
    if row is not None:
        return _row_key(row)
    return op_create(conn, owner_id)


def op_get(conn: sa.Connection, key_id: uuid.UUID) -> PersonKey | None:
    """A key by id."""
    row = conn.execute(sa.select(data_key).where(data_key.c.id == key_id)).first()
    return None if row is None else _row_key(row)


def op_key_ids_of(conn: sa.Connection, owner_id: uuid.UUID) -> list[uuid.UUID]:
    """Every key id of an owner."""
    stmt = sa.select(data_key.c.id).where(data_key.c.owner_id == owner_id)
    return list(conn.execute(stmt).scalars().all())


def op_destroy_keys(conn: sa.Connection, key_ids: Sequence[uuid.UUID]) -> int:
    """Delete keys by id."""
    if not key_ids:
        return 0
    result = conn.execute(data_key.delete().where(data_key.c.id.in_(list(key_ids))))
    return int(result.rowcount or 0)


def op_erase_owner(conn: sa.Connection, owner_id: uuid.UUID) -> int:
    """Delete the owner's keys and leave a tombstone (idempotent)."""
    result = conn.execute(data_key.delete().where(data_key.c.owner_id == owner_id))
    if not _is_erased(conn, owner_id):
        conn.execute(erased_owner.insert().values(owner_id=owner_id, erased_at=utcnow()))
    return int(result.rowcount or 0)


def op_rewrap_all(conn: sa.Connection) -> int:
    """Re-wrap every key with the first service key: one row per key, keys unchanged."""
    cipher = crypto.cipher()
    count = 0
    for key_id, wrapped in conn.execute(sa.select(data_key.c.id, data_key.c.wrapped)).all():
        try:
            rewrapped = cipher.rotate(wrapped.encode()).decode()
        except InvalidToken:
            log.error("no key of MENTORAT_DATA_KEY unwraps the person keys")
            raise KeyStoreError() from None
        conn.execute(
            data_key.update()
            .where(data_key.c.id == key_id)
            .values(wrapped=rewrapped, rewrapped_at=utcnow())
        )
        count += 1
    return count


class SqlKeyStore:
    """The key store in a SQL database of its own (SQLite file or PostgreSQL database)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: AsyncEngine | None = None
        self._ready = False

    def _async_engine(self) -> AsyncEngine:
        if self._engine is None:
            self._engine = make_async_engine(self.url, pool_size=5)
        return self._engine

    async def _run(self, op: Callable[..., T], *args: Any) -> T:
        try:
            async with self._async_engine().begin() as conn:
                if not self._ready:
                    await conn.run_sync(metadata.create_all, checkfirst=True)
                    self._ready = True
                return await conn.run_sync(op, *args)
        except sa.exc.SQLAlchemyError as exc:
            log.error("key store unavailable: %s", type(exc).__name__)
            raise KeyStoreError() from None

    async def create(self, owner_id: uuid.UUID) -> PersonKey | None:
        return await self._run(op_create, owner_id)

    async def current(self, owner_id: uuid.UUID) -> PersonKey | None:
        return await self._run(op_current, owner_id)

    async def get(self, key_id: uuid.UUID) -> PersonKey | None:
        return await self._run(op_get, key_id)

    async def key_ids_of(self, owner_id: uuid.UUID) -> list[uuid.UUID]:
        return await self._run(op_key_ids_of, owner_id)

    async def destroy_keys(self, key_ids: Sequence[uuid.UUID]) -> int:
        return await self._run(op_destroy_keys, list(key_ids))

    async def erase_owner(self, owner_id: uuid.UUID) -> int:
        return await self._run(op_erase_owner, owner_id)

    async def rewrap_all(self) -> int:
        return await self._run(op_rewrap_all)

    async def dispose(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    def sync_engine(self) -> sa.Engine:
        """A sync engine on the key store with its schema in place (migrations, commands)."""
        engine = make_sync_engine(self.url)
        metadata.create_all(engine, checkfirst=True)
        return engine


def render(url: str | URL) -> str:
    """A key store URL fit for a log line (no password)."""
    return (make_url(url) if isinstance(url, str) else url).render_as_string(hide_password=True)


@lru_cache
def get_keystore() -> KeyStore:
    """The process's key store (MENTORAT_KEYSTORE_URL, or the default beside the content)."""
    return SqlKeyStore(configured_url())
