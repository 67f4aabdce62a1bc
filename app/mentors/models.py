"""Mentor table."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from app.core.models import json_list_field
from app.people.models import PersonBase

# Lists that filters test for one code: JSONB on PostgreSQL, so `@>` can use a GIN index.
CODE_LIST = sa.JSON().with_variant(JSONB(), "postgresql")


def _code_list_field() -> Any:
    return Field(default_factory=list, sa_type=CODE_LIST, nullable=False)


class Mentor(PersonBase, table=True):
    """A volunteer mentor's profile."""

    # Lists are read in (hub, created_at, id) order: keyset pages walk this index.
    __table_args__ = (
        sa.UniqueConstraint("hub_id", "email"),
        sa.Index("ix_mentor_hub_id_created_at_id", "hub_id", "created_at", "id"),
        sa.Index("ix_mentor_created_at_id", "created_at", "id"),
        # The program report's active mentors and their capacity, without reading profiles.
        sa.Index("ix_mentor_hub_id_status_capacity", "hub_id", "status", "id", "capacity"),
        sa.Index("ix_mentor_expertise", "expertise", postgresql_using="gin"),
        sa.Index("ix_mentor_sectors", "sectors", postgresql_using="gin"),
        sa.Index("ix_mentor_legal_forms_known", "legal_forms_known", postgresql_using="gin"),
        sa.Index("ix_mentor_regions_served", "regions_served", postgresql_using="gin"),
        # `q=` is a substring of the normalised search text: a trigram index on PostgreSQL
        # (migration 0016); SQLite keeps a plain index and scans.
        sa.Index(
            "ix_mentor_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    expertise: list[str] = _code_list_field()
    sectors: list[str] = _code_list_field()
    legal_forms_known: list[str] = _code_list_field()
    regions_served: list[str] = _code_list_field()
    capacity: int = Field(default=1, nullable=False)
    years_experience: int = Field(default=0, nullable=False)
    bio: str | None = Field(default=None, max_length=4000)
    trained_on: date | None = Field(default=None)
    ethics_signed_on: date | None = Field(default=None)
    excluded_organizations: list[str] = json_list_field()
