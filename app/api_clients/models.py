"""Partner systems of a hub, authenticating with client credentials."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.models import created_field, id_field, json_list_field, timestamp_field


class ApiClient(SQLModel, table=True):
    """A partner hub's system, authenticating with client credentials."""

    __tablename__ = "api_client"

    id: uuid.UUID = id_field()
    hub_id: uuid.UUID = Field(foreign_key="hub.id", index=True, nullable=False)
    name: str = Field(max_length=200, nullable=False)
    scopes: list[str] = json_list_field()
    client_id: str = Field(max_length=64, unique=True, nullable=False)
    secret_hash: str = Field(max_length=255, nullable=False)
    created_at: datetime = created_field()
    revoked_at: datetime | None = timestamp_field()
