"""Evaluation table: one per participant per match, with its testimonial."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.models import (
    created_field,
    id_field,
    json_list_field,
    timestamp_field,
    updated_field,
)

# What a person may choose to show beside their published testimonial.
PUBLISHABLE_FIELDS = ("first_name", "role_title", "organization_name")


class Evaluation(SQLModel, table=True):
    """A participant's evaluation of the year (bilan), and their testimonial if any."""

    __table_args__ = (
        sa.UniqueConstraint("match_id", "author_role"),
        sa.CheckConstraint("author_role IN ('mentor', 'mentee')", name="author_role"),
        sa.CheckConstraint("satisfaction BETWEEN 1 AND 5", name="satisfaction_range"),
        sa.CheckConstraint("goals_met BETWEEN 1 AND 5", name="goals_met_range"),
    )

    id: uuid.UUID = id_field()
    match_id: uuid.UUID = Field(foreign_key="match.id", nullable=False)
    hub_id: uuid.UUID = Field(foreign_key="hub.id", nullable=False, index=True)
    author_role: str = Field(max_length=10, nullable=False)
    # A mentor's or a mentee's id, as author_role says (hence no foreign key).
    author_profile_id: uuid.UUID = Field(nullable=False, index=True)
    satisfaction: int = Field(nullable=False)
    goals_met: int = Field(nullable=False)
    learnings: str | None = Field(default=None, max_length=4000)
    testimonial: str | None = Field(default=None, max_length=2000)
    publish_consent: bool = Field(default=False, nullable=False)
    publish_fields: list[str] = json_list_field()
    approved_at: datetime | None = timestamp_field(index=True)
    approved_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    version: int = Field(default=1, nullable=False)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
