"""Database engine, URL handling and the per-request unit of work."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlmodel import SQLModel

from app.core.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

# Execution option asking SQLite for BEGIN IMMEDIATE: a writing request takes the
# write lock up front, so two requests checking one invariant run one after the other.
WRITE_INTENT = "mentorat_write_intent"


def _normalise(url: str | URL) -> URL:
    parsed = make_url(url) if isinstance(url, str) else url
    backend = parsed.get_backend_name()
    if backend == "postgres":
        parsed = parsed.set(drivername="postgresql")
        backend = "postgresql"
    if backend not in {"sqlite", "postgresql"}:
        raise ValueError(f"unsupported database: {backend} (use sqlite or postgresql)")
    return parsed


def async_url(url: str | URL) -> URL:
    """The URL with the async driver this app uses (aiosqlite or psycopg)."""
    parsed = _normalise(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    return parsed.set(drivername="postgresql+asyncpg")


def sync_url(url: str | URL) -> URL:
    """The URL with a sync driver, for migrations and the command line."""
    parsed = _normalise(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite")
    return parsed.set(drivername="postgresql+psycopg")


def _sqlite_setup(engine: sa.Engine) -> None:
    """WAL, foreign keys, a busy timeout, and explicit BEGIN (pysqlite's own is broken)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        if connection.get_execution_options().get(WRITE_INTENT):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def make_async_engine(url: str | URL, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    """An async engine for the URL an operator wrote."""
    target = async_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if target.get_backend_name() == "postgresql":
        # No pre-ping: it costs a round trip per request. Connections are recycled
        # hourly instead, and a dead one fails one request, not the service.
        kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_recycle=3600)
    engine = create_async_engine(target, **kwargs)
    if target.get_backend_name() == "sqlite":
        _sqlite_setup(engine.sync_engine)
    return engine


def make_sync_engine(url: str | URL) -> sa.Engine:
    """A sync engine (migrations, command line)."""
    target = sync_url(url)
    engine = sa.create_engine(target, hide_parameters=True)
    if target.get_backend_name() == "sqlite":
        _sqlite_setup(engine)
    return engine


@lru_cache
def get_engine() -> AsyncEngine:
    """The process's engine, created on first use."""
    settings = get_settings()
    return make_async_engine(
        settings.database_url, echo=settings.database_echo, pool_size=settings.database_pool_size
    )


@lru_cache
def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    """Session factory bound to the process's engine."""
    return async_sessionmaker(get_engine(), expire_on_commit=False, autoflush=False)


async def open_session(*, write: bool, snapshot: bool = True) -> AsyncSession:
    """A session whose transaction says up front whether it will write.

    `snapshot=False` is for a read made of one statement (`deps.reads_one_statement`): one
    statement is one snapshot, so on PostgreSQL it runs without a transaction, sparing the
    BEGIN and COMMIT round trips.
    """
    session = get_sessionmaker()()
    if write:
        await session.connection(execution_options={WRITE_INTENT: True})
    elif get_engine().dialect.name == "postgresql":
        if not snapshot:
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            return session
        # A reading request sees one snapshot however many queries it makes (a page and
        # its total, a match and its history): a read-only repeatable-read transaction.
        # (SQLite's plain BEGIN already reads one snapshot in WAL mode.)
        await session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
    return session


@asynccontextmanager
async def unit_of_work(
    write: bool,
    *,
    snapshot: bool = True,
    handed_off: Callable[[AsyncSession], bool] | None = None,
) -> AsyncIterator[AsyncSession]:
    """One transaction: commit when the work succeeds, roll back at once when it raises.

    `handed_off(session)`, asked on success, says that a new owner of the session will
    commit it (the idempotency middleware, with the answer it stores): it stays open.
    """
    session = await open_session(write=write, snapshot=snapshot)
    try:
        yield session
    except BaseException:
        await session.rollback()
        await session.close()
        raise
    if handed_off is not None and handed_off(session):
        return
    try:
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    finally:
        await session.close()


async def claim_once(db: AsyncSession, model: Any, row_id: Any, now: Any) -> bool:
    """Set a one-time row's `used_at` (a refresh token, an emailed link): True for the one
    request that did, False when another used it first (one conditional UPDATE, race-free)."""
    stmt = sa.update(model).where(model.id == row_id, model.used_at.is_(None)).values(used_at=now)
    result: Any = await db.execute(stmt)
    return bool(result.rowcount == 1)
