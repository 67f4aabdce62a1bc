"""content under person keys: agenda, summary, feedback and notes move off the service key

Every value still encrypted with MENTORAT_DATA_KEY itself is decrypted and sealed under the
data key of the person it belongs to (a session's agenda, summary and feedback comment: the
mentee's; a private note: its author's profile's), created in the key store when missing.
Rows keep their ids; a value no configured key opens is left as it is (it reads as erased
either way). The app reads both forms, so this runs while the service serves.

Downgrade is refused once content is sealed under person keys: the service key alone can
no longer read it.

Revision ID: 0012b
Revises: 0012
Create Date: 2026-12-06 12:01:00
"""

import logging
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from app.core import crypto, envelope, keystore
from app.core.config import get_settings

revision: str = '0012b'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

SESSION_COLUMNS = ("agenda", "summary", "feedback_comment")
_session = sa.table(
    "mentoring_session",
    sa.column("id", sa.Uuid()),
    sa.column("mentee_id", sa.Uuid()),
    *(sa.column(c, sa.Text()) for c in SESSION_COLUMNS),
)
_note = sa.table(
    "session_note",
    sa.column("id", sa.Uuid()),
    sa.column("author_id", sa.Uuid()),
    sa.column("text", sa.Text()),
)
_user = sa.table("user", sa.column("id", sa.Uuid()), sa.column("profile_id", sa.Uuid()))


def _legacy(value: str | None) -> bool:
    return value is not None and not envelope.is_sealed(value)


def _work(conn: sa.Connection) -> list[tuple[sa.TableClause, str, uuid.UUID, uuid.UUID, str]]:
    """Every value to move: (table, column, row id, owner id, stored value)."""
    todo = []
    columns = [_session.c[c] for c in SESSION_COLUMNS]
    stmt = sa.select(_session.c.id, _session.c.mentee_id, *columns).where(
        sa.or_(*(c.is_not(None) for c in columns))
    )
    for row in conn.execute(stmt):
        for name, value in zip(SESSION_COLUMNS, row[2:], strict=True):
            if _legacy(value):
                todo.append((_session, name, row.id, row.mentee_id, value))
    stmt = sa.select(_note.c.id, _note.c.author_id, _note.c.text, _user.c.profile_id).join(
        _user, _user.c.id == _note.c.author_id, isouter=True
    )
    for row in conn.execute(stmt):
        if _legacy(row.text):
            todo.append((_note, "text", row.id, row.profile_id or row.author_id, row.text))
    return todo


def upgrade() -> None:
    conn = op.get_bind()
    todo = _work(conn)
    if not todo:
        return
    database_url = context.config.attributes.get("database_url") or get_settings().database_url
    store = keystore.SqlKeyStore(keystore.configured_url(database_url))
    engine = store.sync_engine()
    try:
        # Keys first, committed in the key store: if the content below rolls back, an
        # unused key is all that remains.
        with engine.begin() as key_conn:
            keys = {owner: keystore.op_current(key_conn, owner) for owner in {t[3] for t in todo}}
    finally:
        engine.dispose()
    moved = unreadable = 0
    for table, column, row_id, owner, value in todo:
        key = keys[owner]
        try:
            text = crypto.decrypt(value)
        except crypto.DataKeyError:
            unreadable += 1
            continue
        sealed = (
            None
            if key is None
            else envelope.seal_with(key, envelope.Place(table.name, column, row_id), text)
        )
        conn.execute(table.update().where(table.c.id == row_id).values({column: sealed}))
        moved += 1
    log.info("moved %d values under person keys (%d unreadable left as they were)", moved, unreadable)


def refuse_downgrade(conn: sa.Connection) -> str | None:
    """Why this revision may not be undone (asked by env.py before any revision is)."""
    sealed = 0
    for table, columns in ((_session, SESSION_COLUMNS), (_note, ("text",))):
        for column in columns:
            stmt = sa.select(sa.func.count()).where(table.c[column].startswith(envelope.PREFIX))
            sealed += int(conn.execute(stmt).scalar_one())
    if not sealed:
        return None
    return (
        f"refusing to downgrade below 0012b: {sealed} values are sealed under per-person "
        "keys, which the previous code cannot read. Restore a backup taken before the "
        "upgrade, or keep this revision."
    )


def downgrade() -> None:
    conn = op.get_bind()
    reason = refuse_downgrade(conn)
    if reason:
        raise RuntimeError(reason)
