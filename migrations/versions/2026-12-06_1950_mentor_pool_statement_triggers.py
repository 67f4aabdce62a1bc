"""mentor pool version: statement-level triggers on PostgreSQL

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 19:50:00

0009's trigger bumped the hub's `mentor_pool_version` once per mentor row: an import of
100,000 mentors updated the same hub row 100,000 times in one transaction, each update
walking a longer chain of dead versions (minutes instead of seconds). On PostgreSQL the
bump is now once per statement and hub, from the statement's transition tables; what it
guarantees is unchanged (any insert, update or delete of a mentor, whoever writes it,
changes the version of every hub it touched). SQLite keeps its row triggers.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BUMP = (
    "UPDATE hub SET mentor_pool_version = mentor_pool_version + 1 "
    "WHERE id IN (SELECT hub_id FROM {rows})"
)
_FUNCTIONS = {
    "mentorat_bump_mentor_pool_inserted": _BUMP.format(rows="new_rows"),
    "mentorat_bump_mentor_pool_updated": _BUMP.format(
        rows="(SELECT hub_id FROM new_rows UNION SELECT hub_id FROM old_rows) AS touched"
    ),
    "mentorat_bump_mentor_pool_deleted": _BUMP.format(rows="old_rows"),
}
_TRIGGERS = {
    "trg_mentor_pool_inserted": ("INSERT", "NEW TABLE AS new_rows"),
    "trg_mentor_pool_updated": ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    "trg_mentor_pool_deleted": ("DELETE", "OLD TABLE AS old_rows"),
}
_ROW_FUNCTION = """
CREATE OR REPLACE FUNCTION mentorat_bump_mentor_pool() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE hub SET mentor_pool_version = mentor_pool_version + 1 WHERE id = NEW.hub_id;
  END IF;
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.hub_id IS DISTINCT FROM NEW.hub_id) THEN
    UPDATE hub SET mentor_pool_version = mentor_pool_version + 1 WHERE id = OLD.hub_id;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    op.execute("DROP TRIGGER IF EXISTS trg_mentor_pool ON mentor")
    op.execute("DROP FUNCTION IF EXISTS mentorat_bump_mentor_pool()")
    for name, body in _FUNCTIONS.items():
        op.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
            f"BEGIN {body}; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
    functions = list(_FUNCTIONS)
    for (trigger, (event, referencing)), function in zip(_TRIGGERS.items(), functions, strict=True):
        op.execute(
            f"CREATE TRIGGER {trigger} AFTER {event} ON mentor REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )


def downgrade() -> None:
    if not _postgresql():
        return
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON mentor")
    for name in _FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.execute(_ROW_FUNCTION)
    op.execute(
        "CREATE TRIGGER trg_mentor_pool AFTER INSERT OR UPDATE OR DELETE ON mentor "
        "FOR EACH ROW EXECUTE FUNCTION mentorat_bump_mentor_pool()"
    )
