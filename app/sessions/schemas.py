"""Session schemas; which fields a caller receives depends on who they are."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from app.core.schemas import InputModel, Moment

MeetingMode = Literal["in_person", "video", "phone"]
SessionStatus = Literal["scheduled", "held", "cancelled", "no_show"]
Duration = Field(ge=5, le=480)


class SessionCreate(InputModel):
    """Schedule a meeting (or record one that already happened, with a past time)."""

    match_id: uuid.UUID
    scheduled_at: Moment
    duration_minutes: StrictInt = Field(default=60, ge=5, le=480)
    mode: MeetingMode
    location: str | None = Field(default=None, max_length=500)
    agenda: str | None = Field(default=None, max_length=10_000)


class SessionUpdate(InputModel):
    """Reschedule, or edit the shared agenda and summary (participants)."""

    scheduled_at: Moment | None = None
    duration_minutes: StrictInt | None = Field(default=None, ge=5, le=480)
    mode: MeetingMode | None = None
    location: str | None = Field(default=None, max_length=500)
    agenda: str | None = Field(default=None, max_length=10_000)
    summary: str | None = Field(default=None, max_length=20_000)


class HoldBody(InputModel):
    """The meeting took place."""

    duration_minutes: StrictInt = Field(ge=5, le=480)
    summary: str | None = Field(default=None, max_length=20_000)


class CancelBody(InputModel):
    """Why the meeting is cancelled."""

    reason: str = Field(min_length=1, max_length=2000)


class NoteBody(InputModel):
    """A participant's private note."""

    text: str = Field(max_length=20_000)


class NoteRead(BaseModel):
    """A private note, for its author alone."""

    text: str | None
    updated_at: datetime | None


class FeedbackBody(InputModel):
    """The mentee's rating of a held session (for the program, not the mentor)."""

    rating: StrictInt = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=4000)


class FeedbackRead(BaseModel):
    """The mentee's feedback."""

    rating: int
    comment: str | None
    given_at: datetime | None


class SessionRead(BaseModel):
    """A session. Times are shown in America/Montreal.

    Everyone within reach gets the schedule fields; staff also `location` and `feedback`;
    only the two participants get `agenda` and `summary` (and the mentee `feedback`).
    """

    id: uuid.UUID
    match_id: uuid.UUID
    hub_id: uuid.UUID
    scheduled_at: datetime
    ends_at: datetime
    duration_minutes: int
    mode: MeetingMode
    status: SessionStatus
    location: str | None = None
    agenda: str | None = None
    summary: str | None = None
    feedback: FeedbackRead | None = None
    cancel_reason: str | None = None
    held_at: datetime | None = None
    version: int
    created_at: datetime
    updated_at: datetime


class CalendarFeedRead(BaseModel):
    """A secret calendar URL (shown once; rotating it invalidates the previous one)."""

    url: str
    token: str
