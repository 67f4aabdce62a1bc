"""What differs between the mentor and the mentee profile: one description each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from app.people.models import PersonBase
from app.people.schemas import PersonCreate, PersonPeerRead, PersonRead, PersonUpdate

FilterOp = Literal["eq", "contains"]


@dataclass(frozen=True)
class ProfileKind:
    """A profile table and its rules, for the code both profiles share."""

    role: str
    plural: str
    table: type[PersonBase]
    create_schema: type[PersonCreate]
    update_schema: type[PersonUpdate]
    read_schema: type[PersonRead]
    peer_schema: type[PersonPeerRead]
    # Fields only coordinators and admins set.
    staff_fields: frozenset[str]
    # Statuses that follow the person's matches: staff cannot move a profile out of them.
    system_statuses: frozenset[str]
    # Searched by `q`, besides names and email.
    extra_search_fields: tuple[str, ...]
    # List filter name -> (column, equality or list membership).
    filters: dict[str, tuple[str, FilterOp]]
    # Kind-specific values written by anonymisation.
    erased: dict[str, Any] = field(default_factory=dict)
