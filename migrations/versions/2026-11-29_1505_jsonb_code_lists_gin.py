"""code lists filtered by one code: JSONB with GIN indexes on PostgreSQL

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 15:05:00

On PostgreSQL the list filters test `column @> '["code"]'`: JSONB columns with GIN indexes
give the planner real estimates (the keyset index walk for common codes) and an index for
rare ones. SQLite keeps JSON and gets plain indexes, so that the models and both databases
agree (`alembic check`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "mentor": ("expertise", "sectors", "legal_forms_known", "regions_served"),
    "mentee": ("needs",),
}


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    postgresql = _is_postgresql()
    for table, columns in COLUMNS.items():
        for column in columns:
            if postgresql:
                op.alter_column(
                    table,
                    column,
                    type_=JSONB(),
                    existing_type=sa.JSON(),
                    existing_nullable=False,
                    postgresql_using=f"{column}::jsonb",
                )
            op.create_index(f"ix_{table}_{column}", table, [column], postgresql_using="gin")


def downgrade() -> None:
    postgresql = _is_postgresql()
    for table, columns in COLUMNS.items():
        for column in columns:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
            if postgresql:
                op.alter_column(
                    table,
                    column,
                    type_=sa.JSON(),
                    existing_type=JSONB(),
                    existing_nullable=False,
                    postgresql_using=f"{column}::json",
                )
