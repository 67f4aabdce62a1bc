"""Hub table."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from app.core.models import created_field, id_field, json_dict_field, json_list_field, updated_field


class Hub(SQLModel, table=True):
    """A regional hub; coordinators, mentors and mentees belong to one."""

    id: uuid.UUID = id_field()
    slug: str = Field(max_length=64, unique=True, nullable=False)
    name: str = Field(max_length=200, nullable=False)
    regions: list[str] = json_list_field()
    contact_email: str = Field(max_length=254, nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    matching_weights: dict[str, Any] = json_dict_field()
    # Relationship health: days without a held session before a match is at risk / stalled.
    health_at_risk_days: int = Field(default=45, nullable=False)
    health_stalled_days: int = Field(default=90, nullable=False)
    # Years a closed relationship's profiles are kept before `mentorat retention` erases them
    # (Law 25: no longer than its purpose; set by national admins).
    retention_years: int = Field(default=7, nullable=False)
    # Bumped in the same transaction as any change to the hub's mentors, so that a process
    # may keep their encoded features and know, with one read, whether they are current.
    mentor_pool_version: int = Field(default=0, nullable=False)
    version: int = Field(default=1, nullable=False)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
