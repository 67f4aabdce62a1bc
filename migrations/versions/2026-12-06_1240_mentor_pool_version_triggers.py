"""mentor pool version kept by triggers

Any insert, update or delete of a mentor bumps its hub's `mentor_pool_version`, whoever
writes it (the API, seeds, imports, raw SQL), so the matching engine's per-process cache
of a hub's mentors can never serve a stale pool.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 12:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BUMP = "UPDATE hub SET mentor_pool_version = mentor_pool_version + 1 WHERE id = {row}.hub_id"

_SQLITE = {
    "trg_mentor_pool_insert": f"AFTER INSERT ON mentor BEGIN {_BUMP.format(row='NEW')}; END",
    "trg_mentor_pool_update": (
        f"AFTER UPDATE ON mentor BEGIN {_BUMP.format(row='NEW')}; "
        f"{_BUMP.format(row='OLD')} AND OLD.hub_id IS NOT NEW.hub_id; END"
    ),
    "trg_mentor_pool_delete": f"AFTER DELETE ON mentor BEGIN {_BUMP.format(row='OLD')}; END",
}

_PG_FUNCTION = """
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


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER trg_mentor_pool AFTER INSERT OR UPDATE OR DELETE ON mentor "
            "FOR EACH ROW EXECUTE FUNCTION mentorat_bump_mentor_pool()"
        )
        return
    for name, body in _SQLITE.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_mentor_pool ON mentor")
        op.execute("DROP FUNCTION IF EXISTS mentorat_bump_mentor_pool()")
        return
    for name in _SQLITE:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
