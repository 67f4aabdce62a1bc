"""The mentor profile's rules, for the code mentors and mentees share."""

from __future__ import annotations

from app.mentors.models import Mentor
from app.mentors.schemas import MentorCreate, MentorPeerRead, MentorRead, MentorUpdate
from app.people.kinds import ProfileKind

MENTOR_KIND = ProfileKind(
    role="mentor",
    plural="mentors",
    table=Mentor,
    create_schema=MentorCreate,
    update_schema=MentorUpdate,
    read_schema=MentorRead,
    peer_schema=MentorPeerRead,
    staff_fields=frozenset({"status", "capacity", "trained_on", "ethics_signed_on"}),
    system_statuses=frozenset(),
    extra_search_fields=(),
    filters={
        "region": ("regions_served", "contains"),
        "theme": ("expertise", "contains"),
        "sector": ("sectors", "contains"),
        "legal_form": ("legal_forms_known", "contains"),
    },
    erased={"bio": None, "excluded_organizations": list},
)
