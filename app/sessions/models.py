"""Mentoring session, private note and calendar feed tables."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.models import created_field, id_field, timestamp_field, updated_field
from app.core.sealing import seal_columns
from app.core.types import UTCDateTime

SCHEDULED = "scheduled"
HELD = "held"
CANCELLED = "cancelled"
NO_SHOW = "no_show"
# Sessions that occupy the participants' time (overlaps are refused among these).
BUSY_STATUSES = (SCHEDULED, HELD)
# Every column stored encrypted: the first four are sealed under a person's key
# (app.core.sealing), the idempotency bodies under the service key.
SEALED_SESSION_COLUMNS = ("agenda", "summary", "feedback_comment")
ENCRYPTED_COLUMNS = (
    ("mentoring_session", "agenda"),
    ("mentoring_session", "summary"),
    ("mentoring_session", "feedback_comment"),
    ("session_note", "text"),
    # Replayable POST answers (Idempotency-Key) may hold session content.
    ("idempotency_record", "body"),
)


class MentoringSession(SQLModel, table=True):
    """A meeting of a matched pair; agenda, summary and feedback comment: the mentee's key."""

    __tablename__ = "mentoring_session"
    __table_args__ = (
        sa.Index("ix_mentoring_session_match_id_scheduled_at", "match_id", "scheduled_at"),
        # A hub's sessions by time, covering what the program report adds up per status
        # (an index-only scan instead of reading every session row of the period).
        sa.Index(
            "ix_mentoring_session_hub_id_scheduled_at",
            "hub_id",
            "scheduled_at",
            "status",
            "mentee_id",
            "duration_minutes",
            "feedback_rating",
        ),
    )

    id: uuid.UUID = id_field()
    match_id: uuid.UUID = Field(foreign_key="match.id", nullable=False)
    hub_id: uuid.UUID = Field(foreign_key="hub.id", nullable=False)
    mentor_id: uuid.UUID = Field(foreign_key="mentor.id", nullable=False, index=True)
    mentee_id: uuid.UUID = Field(foreign_key="mentee.id", nullable=False, index=True)
    scheduled_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    ends_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    duration_minutes: int = Field(nullable=False)
    mode: str = Field(max_length=20, nullable=False)
    location: str | None = Field(default=None, max_length=500)
    status: str = Field(default=SCHEDULED, max_length=20, nullable=False, index=True)
    agenda: str | None = Field(default=None, sa_type=sa.Text)
    summary: str | None = Field(default=None, sa_type=sa.Text)
    cancel_reason: str | None = Field(default=None, max_length=2000)
    feedback_rating: int | None = Field(default=None)
    feedback_comment: str | None = Field(default=None, sa_type=sa.Text)
    feedback_at: datetime | None = timestamp_field()
    held_at: datetime | None = timestamp_field()
    version: int = Field(default=1, nullable=False)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()


class SessionNote(SQLModel, table=True):
    """One participant's private note on a session, readable by its author alone (their key)."""

    __tablename__ = "session_note"
    __table_args__ = (sa.UniqueConstraint("session_id", "author_id"),)

    id: uuid.UUID = id_field()
    session_id: uuid.UUID = Field(foreign_key="mentoring_session.id", nullable=False)
    author_id: uuid.UUID = Field(foreign_key="user.id", nullable=False, index=True)
    text: str = Field(sa_type=sa.Text, nullable=False)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()


class CalendarFeed(SQLModel, table=True):
    """A person's secret calendar URL; the token is stored as a digest."""

    __tablename__ = "calendar_feed"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="user.id", nullable=False, unique=True)
    token_digest: str = Field(max_length=64, nullable=False, unique=True)
    created_at: datetime = created_field()


_accounts = sa.table("user", sa.column("id", sa.Uuid()), sa.column("profile_id", sa.Uuid()))


def _note_owner(connection: sa.Connection, note: SessionNote) -> uuid.UUID | None:
    """A note belongs to its author's profile (their account's id if it has none)."""
    stmt = sa.select(_accounts.c.profile_id).where(_accounts.c.id == note.author_id)
    return connection.execute(stmt).scalar_one_or_none() or note.author_id


# What the pair write for the mentee (agenda, summary) and the mentee's feedback are
# the mentee's; a private note is its author's. Erasing a person destroys their key.
seal_columns(
    MentoringSession,
    "mentoring_session",
    SEALED_SESSION_COLUMNS,
    lambda _connection, session: session.mentee_id,
)
seal_columns(SessionNote, "session_note", ("text",), _note_owner)
