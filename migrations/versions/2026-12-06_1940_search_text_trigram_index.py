"""q= search with a trigram index on PostgreSQL

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 19:40:00

`q=` on the mentor and mentee lists is `search_text LIKE '%needle%'` over the normalised
(lower-case, accent-free) names, email and organisation. On PostgreSQL a GIN index with
`gin_trgm_ops` (extension pg_trgm, trusted: the database owner may create it) answers such
patterns without a scan. SQLite gets a plain index, so that models and both databases agree
(`alembic check`); it still scans for a substring, as before.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("mentor", "mentee")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        op.create_index(
            f"ix_{table}_search_text",
            table,
            ["search_text"],
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        )


def downgrade() -> None:
    # The extension stays: other objects of the database may use it.
    for table in TABLES:
        op.drop_index(f"ix_{table}_search_text", table_name=table)
