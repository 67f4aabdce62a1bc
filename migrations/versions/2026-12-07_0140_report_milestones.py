"""report milestones kept by triggers, and covering indexes for the report

Each mentee's firsts and each match's held sessions are kept by triggers; the sessions' and
mentors' indexes by hub cover what the report adds up.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 01:40:00

The program report's two slowest figures grouped every match and session of the program on
each request: the median delays (a mentee's first match and first held session) and the
health of active matches (how many sessions were held, and when the last one was). Two
tables now hold those figures, backfilled here and kept by database triggers on `match` and
`mentoring_session`, whoever writes them (the API, imports, raw SQL):

- `mentee_milestone`: a mentee's first match (any status) and first held session;
- `match_session_stats`: a match's held sessions and the time of the last one.

SQLite: row triggers (writes are serialised by the database lock). PostgreSQL: statement
triggers reading the statement's transition tables, one per event. Inserts fold the new rows
in (LEAST, GREATEST, +) through ON CONFLICT DO UPDATE, which applies them to the latest
committed row under its lock. Updates and deletes lock the rows they recompute (in key
order) before recomputing them in a statement of their own, which under READ COMMITTED takes
a fresh snapshot: two transactions writing sessions of the same mentee apply one after the
other, the second seeing the first's committed rows, so concurrent writes cannot leave a
stale minimum or count.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FIRST_MATCHED = "(SELECT min(m.created_at) FROM match m WHERE m.mentee_id = {id})"
# {held} is the status test: on SQLite `+s.status = 'held'`, whose unary plus keeps the
# planner off the index on status. Without statistics (a database never ANALYZEd, or one
# being loaded) SQLite otherwise may pick that index, which holds most sessions, over the
# one on the mentee or the match: a 100,000-session load ran for over five minutes.
_FIRST_HELD = (
    "(SELECT min(s.scheduled_at) FROM mentoring_session s WHERE s.mentee_id = {id} AND {held})"
)
_HELD_COUNT = "(SELECT count(*) FROM mentoring_session s WHERE s.match_id = {id} AND {held})"
_LAST_HELD = (
    "(SELECT max(s.scheduled_at) FROM mentoring_session s WHERE s.match_id = {id} AND {held})"
)
_PG_HELD = "s.status = 'held'"
_SQLITE_HELD = "+s.status = 'held'"

# -- SQLite: row triggers --------------------------------------------------------------------


def _sqlite_milestone(mentee: str) -> str:
    return (
        "INSERT INTO mentee_milestone (mentee_id, first_matched_at, first_session_at) "
        f"VALUES ({mentee}, {_FIRST_MATCHED.format(id=mentee)}, "
        f"{_FIRST_HELD.format(id=mentee, held=_SQLITE_HELD)}) "
        "ON CONFLICT (mentee_id) DO UPDATE SET first_matched_at = excluded.first_matched_at, "
        "first_session_at = excluded.first_session_at;"
    )


def _sqlite_stats(match: str) -> str:
    return (
        "INSERT INTO match_session_stats (match_id, sessions_held, last_held_at) "
        f"VALUES ({match}, {_HELD_COUNT.format(id=match, held=_SQLITE_HELD)}, "
        f"{_LAST_HELD.format(id=match, held=_SQLITE_HELD)}) "
        "ON CONFLICT (match_id) DO UPDATE SET sessions_held = excluded.sessions_held, "
        "last_held_at = excluded.last_held_at;"
    )


_SESSION_CHANGED = (
    "OLD.status = 'held' OR NEW.status = 'held'"
)
_SQLITE_TRIGGERS = {
    "trg_milestone_match_inserted": (
        "AFTER INSERT ON match",
        _sqlite_milestone("NEW.mentee_id"),
    ),
    "trg_milestone_match_updated": (
        "AFTER UPDATE OF mentee_id, created_at ON match",
        _sqlite_milestone("NEW.mentee_id") + _sqlite_milestone("OLD.mentee_id"),
    ),
    "trg_milestone_match_deleted": (
        "AFTER DELETE ON match",
        _sqlite_milestone("OLD.mentee_id")
        + "DELETE FROM match_session_stats WHERE match_id = OLD.id;",
    ),
    "trg_milestone_session_inserted": (
        "AFTER INSERT ON mentoring_session WHEN NEW.status = 'held'",
        _sqlite_milestone("NEW.mentee_id") + _sqlite_stats("NEW.match_id"),
    ),
    "trg_milestone_session_updated": (
        "AFTER UPDATE OF status, scheduled_at, mentee_id, match_id ON mentoring_session "
        f"WHEN {_SESSION_CHANGED}",
        _sqlite_milestone("NEW.mentee_id")
        + _sqlite_milestone("OLD.mentee_id")
        + _sqlite_stats("NEW.match_id")
        + _sqlite_stats("OLD.match_id"),
    ),
    "trg_milestone_session_deleted": (
        "AFTER DELETE ON mentoring_session WHEN OLD.status = 'held'",
        _sqlite_milestone("OLD.mentee_id") + _sqlite_stats("OLD.match_id"),
    ),
}

# -- PostgreSQL: statement triggers ----------------------------------------------------------


def _pg_recompute(mentees: str | None, matches: str | None) -> str:
    """The body of a trigger function recomputing the given mentees' and matches' rows.

    `mentees` and `matches` are queries of one column (`id`) over the transition tables.
    The ids are gathered into arrays first: a transition table has no statistics, and a
    join against it planned blind turned a 1,000,000-row COPY into minutes.
    """
    declare, body = [], []
    if mentees is not None:
        declare.append("mentees uuid[];")
        body.append(
            f"mentees := ARRAY(SELECT DISTINCT id FROM ({mentees}) AS t "
            "WHERE id IS NOT NULL ORDER BY id);"
            "IF cardinality(mentees) > 0 THEN "
            "INSERT INTO mentee_milestone (mentee_id) SELECT unnest(mentees) "
            "ON CONFLICT (mentee_id) DO NOTHING;"
            "PERFORM 1 FROM mentee_milestone WHERE mentee_id = ANY(mentees) "
            "ORDER BY mentee_id FOR UPDATE;"
            "UPDATE mentee_milestone AS mm SET "
            f"first_matched_at = {_FIRST_MATCHED.format(id='mm.mentee_id')}, "
            f"first_session_at = {_FIRST_HELD.format(id='mm.mentee_id', held=_PG_HELD)} "
            "WHERE mm.mentee_id = ANY(mentees);"
            "END IF;"
        )
    if matches is not None:
        declare.append("matches uuid[];")
        body.append(
            f"matches := ARRAY(SELECT DISTINCT id FROM ({matches}) AS t "
            "WHERE id IS NOT NULL ORDER BY id);"
            "IF cardinality(matches) > 0 THEN "
            "INSERT INTO match_session_stats (match_id, sessions_held) "
            "SELECT m.id, 0 FROM match AS m WHERE m.id = ANY(matches) "
            "ON CONFLICT (match_id) DO NOTHING;"
            "PERFORM 1 FROM match_session_stats WHERE match_id = ANY(matches) "
            "ORDER BY match_id FOR UPDATE;"
            "UPDATE match_session_stats AS ms SET "
            f"sessions_held = {_HELD_COUNT.format(id='ms.match_id', held=_PG_HELD)}, "
            f"last_held_at = {_LAST_HELD.format(id='ms.match_id', held=_PG_HELD)} "
            "WHERE ms.match_id = ANY(matches);"
            "END IF;"
        )
    return f"DECLARE {' '.join(declare)} BEGIN {' '.join(body)}"


_MATCH_MOVED = (
    "SELECT {side}.mentee_id AS id FROM new_rows n JOIN old_rows o ON o.id = n.id "
    "WHERE n.mentee_id IS DISTINCT FROM o.mentee_id OR n.created_at IS DISTINCT FROM o.created_at"
)
_SESSION_MOVED = (
    "SELECT {side}.{column} AS id FROM new_rows n JOIN old_rows o ON o.id = n.id "
    "WHERE (n.status = 'held' OR o.status = 'held') AND ("
    "n.status IS DISTINCT FROM o.status OR n.scheduled_at IS DISTINCT FROM o.scheduled_at "
    "OR n.mentee_id IS DISTINCT FROM o.mentee_id OR n.match_id IS DISTINCT FROM o.match_id)"
)


def _both_sides(query: str, **names: str) -> str:
    return f"{query.format(side='n', **names)} UNION {query.format(side='o', **names)}"


# Inserts, the bulk case (imports, COPY), fold the new rows into the figures instead of
# recomputing them: one grouping of the transition table, no lookup into the table being
# loaded (whose statistics are stale during the load). LEAST, GREATEST and + commute, and
# ON CONFLICT DO UPDATE applies them to the latest committed row under its lock, so
# concurrent inserts (and recomputations, which lock the same rows) cannot lose one.
_FIRST_MATCH_ADDED = (
    "BEGIN "
    "INSERT INTO mentee_milestone (mentee_id, first_matched_at) "
    "SELECT mentee_id, min(created_at) FROM new_rows GROUP BY mentee_id ORDER BY mentee_id "
    "ON CONFLICT (mentee_id) DO UPDATE SET first_matched_at = "
    "LEAST(mentee_milestone.first_matched_at, excluded.first_matched_at);"
)
_HELD_SESSIONS_ADDED = (
    "BEGIN "
    "INSERT INTO mentee_milestone (mentee_id, first_session_at) "
    "SELECT mentee_id, min(scheduled_at) FROM new_rows WHERE status = 'held' "
    "GROUP BY mentee_id ORDER BY mentee_id "
    "ON CONFLICT (mentee_id) DO UPDATE SET first_session_at = "
    "LEAST(mentee_milestone.first_session_at, excluded.first_session_at);"
    "INSERT INTO match_session_stats (match_id, sessions_held, last_held_at) "
    "SELECT match_id, count(*), max(scheduled_at) FROM new_rows WHERE status = 'held' "
    "GROUP BY match_id ORDER BY match_id "
    "ON CONFLICT (match_id) DO UPDATE SET "
    "sessions_held = match_session_stats.sessions_held + excluded.sessions_held, "
    "last_held_at = GREATEST(match_session_stats.last_held_at, excluded.last_held_at);"
)

# name → (table, event, transition tables, function body)
_PG_TRIGGERS = {
    "trg_milestone_match_inserted": (
        "match",
        "INSERT",
        "NEW TABLE AS new_rows",
        _FIRST_MATCH_ADDED,
    ),
    "trg_milestone_match_updated": (
        "match",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        _pg_recompute(_both_sides(_MATCH_MOVED), None),
    ),
    "trg_milestone_match_deleted": (
        "match",
        "DELETE",
        "OLD TABLE AS old_rows",
        _pg_recompute("SELECT mentee_id AS id FROM old_rows", None)
        + " DELETE FROM match_session_stats WHERE match_id = ANY(ARRAY(SELECT id FROM old_rows));",
    ),
    "trg_milestone_session_inserted": (
        "mentoring_session",
        "INSERT",
        "NEW TABLE AS new_rows",
        _HELD_SESSIONS_ADDED,
    ),
    "trg_milestone_session_updated": (
        "mentoring_session",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        _pg_recompute(
            _both_sides(_SESSION_MOVED, column="mentee_id"),
            _both_sides(_SESSION_MOVED, column="match_id"),
        ),
    ),
    "trg_milestone_session_deleted": (
        "mentoring_session",
        "DELETE",
        "OLD TABLE AS old_rows",
        _pg_recompute(
            "SELECT mentee_id AS id FROM old_rows WHERE status = 'held'",
            "SELECT match_id AS id FROM old_rows WHERE status = 'held'",
        ),
    ),
}

_BACKFILL = (
    "INSERT INTO mentee_milestone (mentee_id, first_matched_at, first_session_at) "
    "SELECT k.mentee_id, fm.at, fs.at FROM ("
    "  SELECT mentee_id FROM match UNION "
    "  SELECT mentee_id FROM mentoring_session WHERE status = 'held'"
    ") AS k "
    "LEFT JOIN (SELECT mentee_id, min(created_at) AS at FROM match GROUP BY mentee_id) AS fm "
    "  ON fm.mentee_id = k.mentee_id "
    "LEFT JOIN (SELECT mentee_id, min(scheduled_at) AS at FROM mentoring_session "
    "  WHERE status = 'held' GROUP BY mentee_id) AS fs ON fs.mentee_id = k.mentee_id",
    "INSERT INTO match_session_stats (match_id, sessions_held, last_held_at) "
    "SELECT match_id, count(*), max(scheduled_at) FROM mentoring_session "
    "WHERE status = 'held' GROUP BY match_id",
)


_COVERING = [
    "hub_id",
    "scheduled_at",
    "status",
    "mentee_id",
    "duration_minutes",
    "feedback_rating",
]


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "mentee_milestone",
        sa.Column("mentee_id", sa.Uuid(), nullable=False),
        sa.Column("first_matched_at", app.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("first_session_at", app.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("mentee_id", name=op.f("pk_mentee_milestone")),
    )
    op.create_table(
        "match_session_stats",
        sa.Column("match_id", sa.Uuid(), nullable=False),
        sa.Column("sessions_held", sa.Integer(), nullable=False),
        sa.Column("last_held_at", app.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("match_id", name=op.f("pk_match_session_stats")),
    )
    for statement in _BACKFILL:
        op.execute(statement)
    # The sessions' index by hub and time now covers the report's sums per status.
    # (Plain index statements, not a batch: a batch may copy the table on SQLite, which
    # would drop its triggers.)
    op.drop_index("ix_mentoring_session_hub_id_scheduled_at", table_name="mentoring_session")
    op.create_index("ix_mentoring_session_hub_id_scheduled_at", "mentoring_session", _COVERING)
    op.create_index(
        "ix_mentor_hub_id_status_capacity", "mentor", ["hub_id", "status", "id", "capacity"]
    )
    if _postgresql():
        for name, (table, event, referencing, body) in _PG_TRIGGERS.items():
            op.execute(
                f"CREATE OR REPLACE FUNCTION mentorat_{name}() RETURNS trigger AS $$ "
                f"{body} RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION mentorat_{name}()"
            )
        return
    for name, (when, body) in _SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def downgrade() -> None:
    triggers = _PG_TRIGGERS if _postgresql() else _SQLITE_TRIGGERS
    for name in triggers:
        if _postgresql():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {_PG_TRIGGERS[name][0]}")
            op.execute(f"DROP FUNCTION IF EXISTS mentorat_{name}()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_mentor_hub_id_status_capacity", table_name="mentor")
    op.drop_index("ix_mentoring_session_hub_id_scheduled_at", table_name="mentoring_session")
    op.create_index(
        "ix_mentoring_session_hub_id_scheduled_at", "mentoring_session", ["hub_id", "scheduled_at"]
    )
    op.drop_table("match_session_stats")
    op.drop_table("mentee_milestone")
