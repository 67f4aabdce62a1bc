"""profile emails unique within a hub (per role), no longer across the service

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('mentor', 'mentee')


def upgrade() -> None:
    # Emails stay lowercased by the service, so (hub_id, email) is unique case-insensitively too.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'uq_{table}_email', type_='unique')
            batch_op.create_unique_constraint(f'uq_{table}_hub_id_email', ['hub_id', 'email'])


def downgrade() -> None:
    # Fails (and changes nothing) if two hubs now hold the same email: merge or rename them first.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'uq_{table}_hub_id_email', type_='unique')
            batch_op.create_unique_constraint(f'uq_{table}_email', ['email'])
