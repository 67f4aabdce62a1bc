"""Match, match history and matching-run tables."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.models import (
    created_field,
    id_field,
    json_dict_field,
    json_list_field,
    timestamp_field,
    updated_field,
)
from app.core.types import UTCDateTime, utcnow

PROPOSED = "proposed"
ACCEPTED = "accepted"
ACTIVE = "active"
COMPLETED = "completed"
DECLINED = "declined"
CANCELLED = "cancelled"
ENDED_EARLY = "ended_early"
OPEN_STATUSES = (PROPOSED, ACCEPTED, ACTIVE)
# A pair that ended this way is never proposed again.
BLOCKING_STATUSES = (DECLINED, ENDED_EARLY)


class Match(SQLModel, table=True):
    """A jumelage: one mentee, one mentor, one hub, and where they are in the year."""

    __table_args__ = (
        sa.Index("ix_match_hub_id_created_at_id", "hub_id", "created_at", "id"),
        sa.Index("ix_match_mentor_id_status", "mentor_id", "status"),
        sa.Index("ix_match_mentee_id_status", "mentee_id", "status"),
    )

    id: uuid.UUID = id_field()
    hub_id: uuid.UUID = Field(foreign_key="hub.id", nullable=False)
    mentee_id: uuid.UUID = Field(foreign_key="mentee.id", nullable=False)
    mentor_id: uuid.UUID = Field(foreign_key="mentor.id", nullable=False)
    status: str = Field(default=PROPOSED, max_length=20, nullable=False, index=True)
    score: float = Field(default=0.0, nullable=False)
    breakdown: dict[str, Any] = json_dict_field()
    mentor_accepted_at: datetime | None = timestamp_field()
    mentee_accepted_at: datetime | None = timestamp_field()
    agreement_signed_on: date | None = Field(default=None)
    starts_on: date | None = Field(default=None)
    ends_on: date | None = Field(default=None)
    activated_at: datetime | None = timestamp_field()
    closed_at: datetime | None = timestamp_field()
    end_reason: str | None = Field(default=None, max_length=2000)
    matching_run_id: uuid.UUID | None = Field(default=None, foreign_key="matching_run.id")
    version: int = Field(default=1, nullable=False)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()


class MatchEvent(SQLModel, table=True):
    """One entry of a match's history (the history; partners are told through the outbox)."""

    __tablename__ = "match_event"
    __table_args__ = (sa.Index("ix_match_event_match_id_at", "match_id", "at"),)

    id: uuid.UUID = id_field()
    match_id: uuid.UUID = Field(foreign_key="match.id", nullable=False)
    hub_id: uuid.UUID = Field(foreign_key="hub.id", nullable=False, index=True)
    seq: int = Field(nullable=False)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    actor_type: str = Field(max_length=20, nullable=False)
    actor_id: uuid.UUID | None = Field(default=None)
    action: str = Field(max_length=30, nullable=False)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20, nullable=False)
    reason: str | None = Field(default=None, max_length=2000)


class MatchingRun(SQLModel, table=True):
    """A proposed assignment for a cohort: stored, reviewed, then applied (or not)."""

    __tablename__ = "matching_run"

    id: uuid.UUID = id_field()
    hub_id: uuid.UUID = Field(foreign_key="hub.id", nullable=False, index=True)
    status: str = Field(default="proposed", max_length=20, nullable=False)
    created_by_type: str = Field(max_length=20, nullable=False)
    created_by_id: uuid.UUID | None = Field(default=None)
    parameters: dict[str, Any] = json_dict_field()
    weights: dict[str, Any] = json_dict_field()
    proposals: list[dict[str, Any]] = json_list_field()
    unmatched: list[dict[str, Any]] = json_list_field()
    total_score: float = Field(default=0.0, nullable=False)
    greedy_total: float = Field(default=0.0, nullable=False)
    exact: bool = Field(default=True, nullable=False)
    method: str = Field(default="", max_length=30, nullable=False)
    timings: dict[str, Any] = json_dict_field()
    applied_at: datetime | None = timestamp_field()
    apply_report: dict[str, Any] = json_dict_field()
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
