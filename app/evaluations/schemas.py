"""Evaluation and testimonial schemas."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, StrictBool, StrictInt, field_validator

from app.core.schemas import InputModel, OutputModel
from app.evaluations.models import PUBLISHABLE_FIELDS, Evaluation

PublishField = Literal["first_name", "role_title", "organization_name"]
AuthorRole = Literal["mentor", "mentee"]
TestimonialStatus = Literal["none", "pending", "published"]
Rating = Field(ge=1, le=5, description="1 (not at all) to 5 (fully).")
PROGRAM_TZ = ZoneInfo("America/Montreal")


class EvaluationPut(InputModel):
    """A participant's evaluation of the year; a PUT replaces the whole of it."""

    satisfaction: StrictInt = Rating
    goals_met: StrictInt = Rating
    learnings: str | None = Field(default=None, max_length=4000)
    testimonial: str | None = Field(default=None, max_length=2000)
    publish_consent: StrictBool = False
    publish_fields: list[PublishField] = Field(
        default_factory=list,
        max_length=len(PUBLISHABLE_FIELDS),
        description="What may be shown beside the published testimonial.",
    )

    @field_validator("learnings", "testimonial")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("publish_fields")
    @classmethod
    def _canonical_order(cls, value: list[str]) -> list[str]:
        # Duplicates collapse; the stored order is always the same.
        return [name for name in PUBLISHABLE_FIELDS if name in value]


def testimonial_status(evaluation: Evaluation) -> TestimonialStatus:
    """`none` (no testimonial or no consent), `pending` (awaits staff), or `published`."""
    if not evaluation.testimonial or not evaluation.publish_consent:
        return "none"
    return "published" if evaluation.approved_at is not None else "pending"


class EvaluationRead(OutputModel):
    """An evaluation as its author and the hub's staff see it."""

    id: uuid.UUID
    match_id: uuid.UUID
    hub_id: uuid.UUID
    author_role: AuthorRole
    author_profile_id: uuid.UUID
    satisfaction: int
    goals_met: int
    learnings: str | None
    testimonial: str | None
    publish_consent: bool
    publish_fields: list[PublishField]
    testimonial_status: TestimonialStatus
    approved_at: datetime | None
    approved_by_id: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, evaluation: Evaluation) -> EvaluationRead:
        """From a table row."""
        data = evaluation.model_dump()
        data["testimonial_status"] = testimonial_status(evaluation)
        return cls.model_validate(data)


def _unchosen(value: object) -> bool:
    """A person field the author did not choose to show (or their profile lacks) is absent."""
    return value is None


class TestimonialRead(BaseModel):
    """A published testimonial: the text, the author's role, and only what they chose to show.

    `first_name`, `role_title` and `organization_name` are absent unless the person chose
    them and their profile has them (mentors have no role title or organisation).
    """

    id: uuid.UUID
    testimonial: str
    author_role: AuthorRole
    lang: Literal["fr", "en"]
    match_ended_on: date | None
    published_at: datetime | None
    first_name: str | None = Field(default=None, exclude_if=_unchosen)
    role_title: str | None = Field(default=None, exclude_if=_unchosen)
    organization_name: str | None = Field(default=None, exclude_if=_unchosen)


class PendingTestimonialRead(EvaluationRead):
    """A consented testimonial awaiting approval, with how it would be published."""

    preview: TestimonialRead


def ended_on(closed_at: datetime | None, ends_on: date | None) -> date | None:
    """The day the match closed, in Québec; the planned end when it has no closing time."""
    if closed_at is not None:
        return closed_at.astimezone(PROGRAM_TZ).date()
    return ends_on
