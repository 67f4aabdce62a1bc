"""Key destructions asked for by a content change, carried out once it committed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.models import id_field, json_list_field, timestamp_field
from app.core.types import UTCDateTime, utcnow

ERASURE = "erasure"
REENCRYPTION = "reencryption"


class KeyDestruction(SQLModel, table=True):
    """A person's keys to delete from the key store; pending until `completed_at` is set."""

    __tablename__ = "key_destruction"

    id: uuid.UUID = id_field()
    owner_id: uuid.UUID = Field(nullable=False, index=True)
    #: `mentor` or `mentee`: the audit entry names the person, never the key.
    owner_type: str = Field(max_length=20, nullable=False)
    hub_id: uuid.UUID | None = Field(default=None)
    #: `erasure` (every key of the person, for good) or `reencryption` (the keys listed).
    reason: str = Field(max_length=20, nullable=False)
    key_ids: list[str] = json_list_field()
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    completed_at: datetime | None = timestamp_field(index=True)
