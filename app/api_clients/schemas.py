"""API-client schemas: what staff send to create one, and what they read back."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, field_validator

from app.core.schemas import InputModel, OutputModel
from app.reference.catalog import API_SCOPES, ApiScope


class ApiClientCreate(InputModel):
    """A new partner integration for a hub."""

    name: str = Field(min_length=1, max_length=200)
    scopes: list[ApiScope] = Field(min_length=1, max_length=len(API_SCOPES))

    @field_validator("scopes")
    @classmethod
    def _known_scopes(cls, scopes: list[str]) -> list[str]:
        unknown = [s for s in scopes if s not in API_SCOPES]
        if unknown:
            raise ValueError(f"unknown scopes: {', '.join(unknown)}; see /reference api_scopes")
        return list(dict.fromkeys(scopes))


class ApiClientRead(OutputModel):
    """An API client (its secret is never shown again)."""

    id: uuid.UUID
    hub_id: uuid.UUID
    client_id: str
    name: str
    scopes: list[ApiScope]
    created_at: datetime


class ApiClientCreated(ApiClientRead):
    """The answer to creating an API client: the secret, shown once."""

    client_secret: str
