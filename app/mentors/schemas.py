"""Mentor schemas."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, StrictInt

from app.people.schemas import PersonCreate, PersonPeerRead, PersonRead, PersonUpdate
from app.people.validation import (
    LegalForms,
    OrganisationNames,
    PastDate,
    Regions,
    Sectors,
    Themes,
)
from app.reference.catalog import LegalFormCode, RegionCode, SectorCode, ThemeCode

MentorStatus = Literal["candidate", "active", "paused", "retired"]
Capacity = Field(ge=1, le=10)
Years = Field(ge=0, le=80)


class MentorCreate(PersonCreate):
    """A new mentor profile (staff or a partner system with `mentors:write`)."""

    expertise: Themes = Field(default_factory=list)
    sectors: Sectors = Field(default_factory=list)
    legal_forms_known: LegalForms = Field(default_factory=list)
    regions_served: Regions = Field(default_factory=list)
    capacity: StrictInt = Field(default=1, ge=1, le=10)
    years_experience: StrictInt = Field(default=0, ge=0, le=80)
    bio: str | None = Field(default=None, max_length=4000)
    trained_on: PastDate | None = None
    ethics_signed_on: PastDate | None = None
    excluded_organizations: OrganisationNames = Field(default_factory=list)
    status: MentorStatus = "candidate"


class MentorUpdate(PersonUpdate):
    """Changes to a mentor profile; status, capacity and training dates are staff-only."""

    expertise: Themes | None = None
    sectors: Sectors | None = None
    legal_forms_known: LegalForms | None = None
    regions_served: Regions | None = None
    capacity: StrictInt | None = Field(default=None, ge=1, le=10)
    years_experience: StrictInt | None = Field(default=None, ge=0, le=80)
    bio: str | None = Field(default=None, max_length=4000)
    trained_on: PastDate | None = None
    ethics_signed_on: PastDate | None = None
    excluded_organizations: OrganisationNames | None = None
    status: MentorStatus | None = None


class MentorPeerRead(PersonPeerRead):
    """A mentor as their mentee sees them."""

    expertise: list[ThemeCode]
    sectors: list[SectorCode]
    legal_forms_known: list[LegalFormCode]
    regions_served: list[RegionCode]
    years_experience: int
    bio: str | None


class MentorRead(PersonRead, MentorPeerRead):
    """A mentor profile as staff and the mentor see it."""

    status: MentorStatus
    capacity: int
    trained_on: date | None
    ethics_signed_on: date | None
    excluded_organizations: list[str]
