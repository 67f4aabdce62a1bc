"""profile emails unique within a hub (per role), no longer across the service

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
# Written on 0008; re-chained after 0009 (mentor pool triggers) once main had it.
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('mentor', 'mentee')


def _swap(table: str, drop: str, create: str, columns: list[str]) -> None:
    bind = op.get_bind()
    triggers: list[str] = []
    if bind.dialect.name == 'sqlite':
        # SQLite changes a constraint by rebuilding the table, which drops its triggers
        # (the mentor pool triggers of 0009): keep their SQL and put them back afterwards.
        rows = bind.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {'t': table},
        )
        triggers = [row[0] for row in rows if row[0]]
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(drop, type_='unique')
        batch_op.create_unique_constraint(create, columns)
    existing = set()
    if triggers:
        found = bind.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {'t': table},
        )
        existing = {row[0] for row in found}
    for statement in triggers:
        if statement not in existing:
            op.execute(statement)


def upgrade() -> None:
    # Emails stay lowercased by the service, so (hub_id, email) is unique case-insensitively too.
    for table in TABLES:
        _swap(table, f'uq_{table}_email', f'uq_{table}_hub_id_email', ['hub_id', 'email'])


def downgrade() -> None:
    # Fails (and changes nothing) if two hubs now hold the same email: merge or rename them first.
    for table in TABLES:
        _swap(table, f'uq_{table}_hub_id_email', f'uq_{table}_email', ['email'])
