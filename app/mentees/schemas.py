"""Mentee schemas."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictInt

from app.people.schemas import PersonCreate, PersonPeerRead, PersonRead, PersonUpdate
from app.people.validation import (
    LegalForm,
    Region,
    Sector,
    Themes,
)
from app.reference.catalog import LegalFormCode, RegionCode, SectorCode, ThemeCode

# Staff set these; matched, active and completed follow the mentee's matches.
StaffMenteeStatus = Literal["applicant", "waiting", "withdrawn"]
MenteeStatus = Literal["applicant", "waiting", "matched", "active", "completed", "withdrawn"]


class MenteeCreate(PersonCreate):
    """A new mentee profile (staff or a partner system with `mentees:write`)."""

    organization_name: str = Field(min_length=1, max_length=200)
    legal_form: LegalForm
    sector: Sector
    region: Region
    employees: StrictInt | None = Field(default=None, ge=0, le=100_000)
    role_title: str | None = Field(default=None, max_length=120)
    years_in_role: StrictInt | None = Field(default=None, ge=0, le=80)
    needs: Themes = Field(default_factory=list)
    goals: str | None = Field(default=None, max_length=4000)
    status: StaffMenteeStatus = "applicant"


class MenteeUpdate(PersonUpdate):
    """Changes to a mentee profile; status is staff-only."""

    organization_name: str | None = Field(default=None, min_length=1, max_length=200)
    legal_form: LegalForm | None = None
    sector: Sector | None = None
    region: Region | None = None
    employees: StrictInt | None = Field(default=None, ge=0, le=100_000)
    role_title: str | None = Field(default=None, max_length=120)
    years_in_role: StrictInt | None = Field(default=None, ge=0, le=80)
    needs: Themes | None = None
    goals: str | None = Field(default=None, max_length=4000)
    status: StaffMenteeStatus | None = None


class MenteePeerRead(PersonPeerRead):
    """A mentee as their mentor sees them."""

    organization_name: str
    legal_form: LegalFormCode
    sector: SectorCode
    region: RegionCode
    employees: int | None
    role_title: str | None
    years_in_role: int | None
    needs: list[ThemeCode]
    goals: str | None


class MenteeRead(PersonRead, MenteePeerRead):
    """A mentee profile as staff and the mentee see it."""

    status: MenteeStatus
