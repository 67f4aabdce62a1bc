"""hub retention years

Revision ID: 0011
Revises: 0014
Create Date: 2026-12-06 13:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('hub', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('retention_years', sa.Integer(), nullable=False, server_default='7')
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # A plain DROP COLUMN: a batch rebuild of `hub` would break the mentor triggers
        # (migration 0009) that name it while the table is renamed.
        op.execute('ALTER TABLE hub DROP COLUMN retention_years')
        return
    op.drop_column('hub', 'retention_years')
