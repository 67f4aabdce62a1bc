"""Schemas of suggestions and matching runs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from app.core.schemas import InputModel
from app.matches.schemas import CriterionRead
from app.matching import validate_weights
from app.matching.assignment import UNMATCHED_REASONS
from app.reference.catalog import LanguageCode, RegionCode, ThemeCode

# Why a mentee of a run got no proposal: the engine's reasons, and one of the run itself.
UnmatchedReason = Literal[(*UNMATCHED_REASONS, "mentee_not_waiting")]  # type: ignore[valid-type]


class SuggestedMentor(BaseModel):
    """What staff need to recognise a suggested mentor."""

    id: uuid.UUID
    first_name: str
    last_name: str
    regions_served: list[RegionCode]
    expertise: list[ThemeCode]
    languages: list[LanguageCode]
    capacity: int
    open_matches: int


class Suggestion(BaseModel):
    """One ranked mentor, with the why."""

    mentor_id: uuid.UUID
    mentor: SuggestedMentor
    score: float
    breakdown: dict[str, CriterionRead]
    reasons: list[str]


class SuggestionList(BaseModel):
    """Ranked mentors for a mentee, and what the hard rules set aside."""

    mentee_id: uuid.UUID
    items: list[Suggestion]
    weights: dict[str, float]
    considered: int
    feasible: int
    excluded: dict[str, int]


class MatchingRunCreate(InputModel):
    """A cohort to pair: by default every waiting mentee of the hub."""

    hub_id: uuid.UUID | None = None
    mentee_ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=20_000)
    min_score: float = Field(default=0.0, ge=0.0, le=100.0)
    weights: dict[str, float] | None = None

    @field_validator("weights")
    @classmethod
    def _weights(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        return None if value is None else validate_weights(value)


class Proposal(BaseModel):
    """A pair the run proposes."""

    mentee_id: uuid.UUID
    mentor_id: uuid.UUID
    score: float
    breakdown: dict[str, CriterionRead]


class UnmatchedMentee(BaseModel):
    """A mentee the run leaves without a mentor, and why."""

    mentee_id: uuid.UUID
    reason: UnmatchedReason


class ApplyReport(BaseModel):
    """What applying a run created and what it skipped (rules re-checked at apply time)."""

    created: list[uuid.UUID] = Field(default_factory=list)
    skipped: list[dict[str, Any]] = Field(default_factory=list)


class MatchingRunRead(BaseModel):
    """A stored proposal for a cohort; it writes no match until applied."""

    id: uuid.UUID
    hub_id: uuid.UUID
    status: Literal["proposed", "applied"]
    parameters: dict[str, Any]
    weights: dict[str, float]
    proposals: list[Proposal]
    unmatched: list[UnmatchedMentee]
    total_score: float
    greedy_total: float
    exact: bool
    method: str
    timings: dict[str, float]
    created_at: datetime
    applied_at: datetime | None
    apply_report: ApplyReport | None
