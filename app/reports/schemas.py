"""What the reports answer: figures per hub, never a person."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

Metric = Literal[
    "applications_received",
    "matches_proposed",
    "matches_completed",
    "matches_ended_early",
    "sessions_held",
    "sessions_cancelled",
    "sessions_no_show",
    "hours_of_mentoring",
    "average_session_rating",
]
Interval = Literal["month"]


class Figure(BaseModel):
    """One figure: its value, or null with `suppressed: true` when it rests on too few people."""

    name: str = Field(examples=["sessions_held"])
    value: int | float | None
    suppressed: bool = False


class HubSummary(BaseModel):
    """The figures of one hub for the period."""

    hub_id: uuid.UUID
    hub_slug: str
    figures: list[Figure]


class SummaryRead(BaseModel):
    """The summary report: one section per hub (no national total, see docs/reports.md)."""

    from_: date | None = Field(alias="from", serialization_alias="from")
    to: date
    generated_at: datetime
    hubs: list[HubSummary]

    model_config = {"populate_by_name": True}


class Point(BaseModel):
    """One month of a series."""

    period: str = Field(examples=["2026-01"])
    value: int | float | None
    suppressed: bool = False


class HubSeries(BaseModel):
    """One hub's series."""

    hub_id: uuid.UUID
    hub_slug: str
    points: list[Point]


class TimeseriesRead(BaseModel):
    """A metric month by month, per hub."""

    metric: Metric
    interval: Interval
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    series: list[HubSeries]

    model_config = {"populate_by_name": True}
