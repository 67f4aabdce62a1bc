"""Hub schemas."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import EmailStr, Field, StrictBool, StrictInt, field_validator

from app.core.schemas import InputModel, OutputModel
from app.matching.weights import validate_weights
from app.reference.catalog import REGIONS, RegionCode

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"


def _check_regions(regions: list[str] | None) -> list[str] | None:
    if regions is None:
        return None
    unknown = [r for r in regions if r not in REGIONS]
    if unknown:
        raise ValueError(f"unknown region codes: {', '.join(unknown)} (use 01 to 17)")
    return sorted(set(regions))


def _check_weights(weights: dict[str, float] | None) -> dict[str, float] | None:
    if weights is None:
        return None
    return validate_weights(weights)


class HubCreate(InputModel):
    """A new regional hub (admins)."""

    slug: str = Field(pattern=SLUG_PATTERN, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    regions: list[RegionCode] = Field(default_factory=list, max_length=17)
    contact_email: EmailStr
    is_active: StrictBool = True
    matching_weights: dict[str, float] | None = None
    health_at_risk_days: StrictInt = Field(default=45, ge=7, le=365)
    health_stalled_days: StrictInt = Field(default=90, ge=14, le=730)
    retention_years: StrictInt = Field(default=7, ge=1, le=30)

    _regions = field_validator("regions")(_check_regions)
    _weights = field_validator("matching_weights")(_check_weights)


class HubUpdate(InputModel):
    """Changes to a hub; coordinators may change only contact and matching weights."""

    slug: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=64)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    regions: list[RegionCode] | None = Field(default=None, max_length=17)
    contact_email: EmailStr | None = None
    is_active: StrictBool | None = None
    matching_weights: dict[str, float] | None = None
    health_at_risk_days: StrictInt | None = Field(default=None, ge=7, le=365)
    health_stalled_days: StrictInt | None = Field(default=None, ge=14, le=730)
    retention_years: StrictInt | None = Field(default=None, ge=1, le=30)

    _regions = field_validator("regions")(_check_regions)
    _weights = field_validator("matching_weights")(_check_weights)


class HubRead(OutputModel):
    """A hub as the API shows it."""

    id: uuid.UUID
    slug: str
    name: str
    regions: list[RegionCode]
    contact_email: str
    is_active: bool
    matching_weights: dict[str, float]
    health_at_risk_days: int
    health_stalled_days: int
    retention_years: int
    version: int
    created_at: datetime
    updated_at: datetime
