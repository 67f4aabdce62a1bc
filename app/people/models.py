"""Columns shared by the mentor and mentee tables."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.models import created_field, id_field, json_list_field, timestamp_field, updated_field


class PersonBase(SQLModel):
    """A person of the program, as both profile tables store them."""

    id: uuid.UUID = id_field()
    hub_id: uuid.UUID = Field(foreign_key="hub.id", index=True, nullable=False)
    first_name: str = Field(max_length=100, nullable=False)
    last_name: str = Field(max_length=100, nullable=False)
    # Unique within a hub (each table's constraint): a 409 never reveals another hub's people.
    email: str = Field(max_length=254, nullable=False)
    phone: str | None = Field(default=None, max_length=32)
    languages: list[str] = json_list_field()
    locale: str = Field(default="fr", max_length=2, nullable=False)
    meeting_modes: list[str] = json_list_field()
    availability: list[str] = json_list_field()
    status: str = Field(max_length=20, nullable=False, index=True)
    consent_version: str | None = Field(default=None, max_length=50)
    consent_given_at: datetime | None = timestamp_field()
    # Lowercase, accent-free names, email and organisation: the `q` search reads only this.
    search_text: str = Field(default="", max_length=1000, nullable=False)
    anonymised_at: datetime | None = timestamp_field()
    version: int = Field(default=1, nullable=False)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
