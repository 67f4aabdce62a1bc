"""Alembic environment: the app's metadata, the URL from MENTORAT_DATABASE_URL."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from app.core.config import get_settings
from app.core.db import make_sync_engine
from app.models import metadata

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    return config.attributes.get("database_url") or get_settings().database_url


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def _refuse_unsafe_downgrades(connection: Connection) -> None:
    """Before anything is undone, ask every revision a downgrade would pass whether it may.

    SQLite runs DDL outside transactions, so a refusal raised by a revision's own
    `downgrade()` would come after the later revisions were already dropped. A revision
    that can refuse defines `refuse_downgrade(connection) -> str | None`; it is asked
    here first, and the whole downgrade is refused with its reason.
    """
    try:
        target = context.get_revision_argument()
    except KeyError:  # `alembic check` and other commands that move nothing
        return
    current = MigrationContext.configure(connection).get_current_heads()
    if not current or target is None:
        return
    script = ScriptDirectory.from_config(config)
    lower = None if target == "base" else target
    try:
        undone = list(script.iterate_revisions(current, lower, select_for_downgrade=True))
    except Exception:  # not a downgrade (an upgrade, or an unrelated target)
        return
    for revision in undone:
        if lower is not None and revision.revision == script.get_revision(lower).revision:
            continue
        check = getattr(revision.module, "refuse_downgrade", None)
        reason = check(connection) if check is not None else None
        if reason:
            raise RuntimeError(reason)


def run_migrations_offline() -> None:
    """Emit SQL without a connection."""
    from app.core.db import sync_url

    context.configure(
        url=sync_url(_url()).render_as_string(hide_password=False),
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate over a sync connection (sqlite or psycopg)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _refuse_unsafe_downgrades(connection)
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_sync_engine(_url())
    try:
        with engine.connect() as conn:
            _refuse_unsafe_downgrades(conn)
            conn.commit()
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
