"""Match schemas."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from app.audit.schemas import ActorRef
from app.core.schemas import Day, InputModel, OutputModel
from app.matches.health import HealthReason
from app.people.validation import PastDate

MatchStatus = Literal[
    "proposed", "accepted", "active", "completed", "declined", "cancelled", "ended_early"
]
Side = Literal["mentor", "mentee"]
# What happened to a match, one entry of its history (app/matches/service.py writes them).
HistoryAction = Literal[
    "proposed",
    "accepted_by_mentor",
    "accepted_by_mentee",
    "declined",
    "cancelled",
    "activated",
    "completed",
    "ended_early",
]
Reason = Field(min_length=1, max_length=2000)


class MatchCreate(InputModel):
    """A coordinator proposes a mentor to a waiting mentee."""

    mentee_id: uuid.UUID
    mentor_id: uuid.UUID


class AcceptBody(InputModel):
    """Empty for a participant; staff say whose answer they record."""

    side: Side | None = None


class DeclineBody(InputModel):
    """Why the proposal is declined (and, for staff, whose answer it is)."""

    reason: str = Reason
    side: Side | None = None


class ReasonBody(InputModel):
    """Why (cancel, end)."""

    reason: str = Reason


class ActivateBody(InputModel):
    """The signed agreement starts the mentoring year."""

    agreement_signed_on: PastDate
    starts_on: Day
    ends_on: Day | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> ActivateBody:
        if self.ends_on is not None and self.ends_on <= self.starts_on:
            raise ValueError("ends_on must be after starts_on")
        return self


class CriterionRead(BaseModel):
    """One criterion of a score."""

    value: float
    weight: float
    points: float


class HealthRead(BaseModel):
    """How the relationship is going."""

    status: Literal["ok", "at_risk", "stalled"]
    reasons: list[HealthReason]


class MatchRead(OutputModel):
    """A match as the API shows it."""

    id: uuid.UUID
    hub_id: uuid.UUID
    mentee_id: uuid.UUID
    mentor_id: uuid.UUID
    status: MatchStatus
    score: float
    breakdown: dict[str, CriterionRead]
    mentor_accepted_at: datetime | None
    mentee_accepted_at: datetime | None
    agreement_signed_on: date | None
    starts_on: date | None
    ends_on: date | None
    end_reason: str | None
    matching_run_id: uuid.UUID | None
    health: HealthRead | None = None
    version: int
    created_at: datetime
    updated_at: datetime


class HistoryEntry(BaseModel):
    """One action in a match's life."""

    at: datetime
    actor: ActorRef
    action: HistoryAction
    from_status: MatchStatus | None
    to_status: MatchStatus
    reason: str | None


class HistoryPage(BaseModel):
    """The whole history, oldest first (a list in the usual shape)."""

    items: list[HistoryEntry]
    next_cursor: str | None = None
