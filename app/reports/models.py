"""Figures kept by database triggers for the reports: who reached each milestone, and when.

Both tables are derived from `match` and `mentoring_session` alone, by triggers of migration
0018 on SQLite and PostgreSQL, whoever writes those rows (the API, imports, raw SQL). The
program report reads them instead of grouping every match and session of the program.
Nothing else writes them.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.models import timestamp_field


class MenteeMilestone(SQLModel, table=True):
    """A mentee's first match (proposed) and first held session, if any."""

    __tablename__ = "mentee_milestone"

    mentee_id: uuid.UUID = Field(primary_key=True)
    first_matched_at: datetime | None = timestamp_field()
    first_session_at: datetime | None = timestamp_field()


class MatchSessionStats(SQLModel, table=True):
    """How many sessions of a match were held, and when the last one was (held ones only)."""

    __tablename__ = "match_session_stats"

    match_id: uuid.UUID = Field(primary_key=True)
    sessions_held: int = Field(default=0, nullable=False)
    last_held_at: datetime | None = timestamp_field()
