"""Test setup: the schema is built by the real migrations; every test starts empty.

The suite runs on SQLite by default and on PostgreSQL when
MENTORAT_TEST_DATABASE_URL is set (a scratch database is created and dropped).
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

os.environ["MENTORAT_ENV"] = "test"
os.environ.pop("MENTORAT_DATA_KEY", None)

from app.core import crypto, envelope, keystore, security
from app.core import db as core_db
from app.core.config import get_settings
from app.core.migrate import upgrade


def _reset_caches() -> None:
    get_settings.cache_clear()
    core_db.get_engine.cache_clear()
    core_db.get_sessionmaker.cache_clear()
    security.password_hasher.cache_clear()
    security._verify_cached.cache_clear()
    crypto.cipher.cache_clear()
    keystore.get_keystore.cache_clear()
    envelope.key_cache().clear()


@pytest.fixture(scope="session")
def scratch_databases() -> Iterator[tuple[str, str]]:
    """Scratch content and key store databases: temporary SQLite files, or new PostgreSQL ones."""
    pg_url = os.environ.get("MENTORAT_TEST_DATABASE_URL")
    if not pg_url:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'test.db'}", f"sqlite:///{Path(folder) / 'keys.db'}"
        return
    admin_url = core_db.sync_url(pg_url)
    name = f"mentorat_test_{uuid.uuid4().hex[:10]}"
    names = (name, f"{name}_keys")
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for each in names:
            conn.exec_driver_sql(f'CREATE DATABASE "{each}"')
            # A scratch database: no need to wait for the disk on every commit.
            conn.exec_driver_sql(f'ALTER DATABASE "{each}" SET synchronous_commit = off')
    try:
        content, keys = (
            make_url(pg_url).set(database=n).render_as_string(hide_password=False) for n in names
        )
        yield content, keys
    finally:
        with admin.connect() as conn:
            for each in names:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{each}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(scratch_databases: tuple[str, str]) -> str:
    """The scratch content database."""
    return scratch_databases[0]


@pytest.fixture(scope="session")
def keystore_url(scratch_databases: tuple[str, str]) -> str:
    """The scratch key store, apart from the content database."""
    return scratch_databases[1]


@pytest.fixture(scope="session")
def migrated(database_url: str, keystore_url: str) -> str:
    """The scratch database at the head revision, and the app pointed at it."""
    os.environ["MENTORAT_DATABASE_URL"] = database_url
    os.environ["MENTORAT_KEYSTORE_URL"] = keystore_url
    _reset_caches()
    upgrade(database_url)
    return database_url


@pytest.fixture(scope="session")
def app(migrated: str):  # type: ignore[no-untyped-def]
    """The application under test."""
    from app.main import create_app

    return create_app()


@pytest.fixture(autouse=True)
async def _clean_tables(migrated: str) -> AsyncIterator[None]:
    """Each test starts from empty tables (the schema stays)."""
    yield
    from app.models import metadata

    engine = core_db.get_engine()
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    async with engine.begin() as conn:
        # DELETE, children first: on a few rows it is far cheaper than TRUNCATE.
        for table in tables:
            await conn.exec_driver_sql(f'DELETE FROM "{table}"')
    # The key store too: each test counts its own people's keys.
    keys = core_db.make_async_engine(os.environ["MENTORAT_KEYSTORE_URL"])
    try:
        async with keys.begin() as conn:
            await conn.run_sync(keystore.metadata.create_all, checkfirst=True)
            for key_table in reversed(keystore.metadata.sorted_tables):
                await conn.execute(key_table.delete())
    finally:
        await keys.dispose()
    envelope.key_cache().clear()


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """An HTTP client talking to the app in process."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
def is_postgres(migrated: str) -> bool:
    """Whether this run is on PostgreSQL."""
    return migrated.startswith("postgres")
