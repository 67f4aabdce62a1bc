"""Mentee table."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from app.people.models import PersonBase

# Needs are filtered by one code: JSONB on PostgreSQL, so `@>` can use a GIN index.
CODE_LIST = sa.JSON().with_variant(JSONB(), "postgresql")


class Mentee(PersonBase, table=True):
    """A mentee's profile: the person and their enterprise."""

    # Lists are read in (hub, created_at, id) order: keyset pages walk this index.
    __table_args__ = (
        sa.UniqueConstraint("hub_id", "email"),
        sa.Index("ix_mentee_hub_id_created_at_id", "hub_id", "created_at", "id"),
        sa.Index("ix_mentee_created_at_id", "created_at", "id"),
        sa.Index("ix_mentee_needs", "needs", postgresql_using="gin"),
        # `q=` is a substring of the normalised search text: a trigram index on PostgreSQL
        # (migration 0016); SQLite keeps a plain index and scans.
        sa.Index(
            "ix_mentee_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    organization_name: str = Field(max_length=200, nullable=False)
    legal_form: str = Field(max_length=40, nullable=False, index=True)
    sector: str = Field(max_length=40, nullable=False, index=True)
    region: str = Field(max_length=2, nullable=False, index=True)
    employees: int | None = Field(default=None)
    role_title: str | None = Field(default=None, max_length=120)
    years_in_role: int | None = Field(default=None)
    needs: list[str] = Field(default_factory=list, sa_type=CODE_LIST, nullable=False)
    goals: str | None = Field(default=None, max_length=4000)
