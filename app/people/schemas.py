"""Schemas shared by mentor and mentee profiles."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import EmailStr, Field

from app.core.schemas import InputModel, OutputModel
from app.people.validation import (
    Availability,
    Languages,
    MeetingModes,
    Name,
    Phone,
)
from app.reference.catalog import AvailabilityCode, LanguageCode, MeetingModeCode

LocaleCode = Literal["fr", "en"]


class ConsentCreate(InputModel):
    """Consent to the program's privacy notice, in a given text version."""

    version: str = Field(min_length=1, max_length=50)


class ConsentRead(OutputModel):
    """The consent on record."""

    version: str
    given_at: datetime


class PersonCreate(InputModel):
    """Person fields of a new profile."""

    hub_id: uuid.UUID | None = None
    first_name: Name
    last_name: Name
    email: EmailStr
    phone: Phone | None = None
    languages: Languages
    locale: LocaleCode = "fr"
    meeting_modes: MeetingModes = Field(default_factory=list)
    availability: Availability = Field(default_factory=list)


class PersonUpdate(InputModel):
    """Person fields a profile update may change."""

    hub_id: uuid.UUID | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    email: EmailStr | None = None
    phone: Phone | None = None
    languages: Languages | None = None
    locale: LocaleCode | None = None
    meeting_modes: MeetingModes | None = None
    availability: Availability | None = None


class PersonPeerRead(OutputModel):
    """What the other side of a match sees of a person (no consent, no staff-only fields)."""

    id: uuid.UUID
    hub_id: uuid.UUID
    first_name: str
    last_name: str
    email: str
    phone: str | None
    languages: list[LanguageCode]
    locale: LocaleCode
    meeting_modes: list[MeetingModeCode]
    availability: list[AvailabilityCode]


class PersonRead(PersonPeerRead):
    """A profile as staff and the person see it."""

    status: str
    consent: ConsentRead | None
    anonymised_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
