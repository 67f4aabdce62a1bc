"""The mentee profile's rules, for the code mentors and mentees share."""

from __future__ import annotations

from app.mentees.models import Mentee
from app.mentees.schemas import MenteeCreate, MenteePeerRead, MenteeRead, MenteeUpdate
from app.people.kinds import ProfileKind

MENTEE_KIND = ProfileKind(
    role="mentee",
    plural="mentees",
    table=Mentee,
    create_schema=MenteeCreate,
    update_schema=MenteeUpdate,
    read_schema=MenteeRead,
    peer_schema=MenteePeerRead,
    staff_fields=frozenset({"status"}),
    # A mentee in a proposed or running match: their status follows the match.
    system_statuses=frozenset({"matched", "active"}),
    extra_search_fields=("organization_name",),
    filters={
        "region": ("region", "eq"),
        "theme": ("needs", "contains"),
        "sector": ("sector", "eq"),
        "legal_form": ("legal_form", "eq"),
    },
    erased={"organization_name": "", "role_title": None, "goals": None},
)
