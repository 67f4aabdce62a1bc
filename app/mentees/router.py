"""HTTP layer of /mentees."""

from __future__ import annotations

from app.mentees.kind import MENTEE_KIND
from app.mentees.schemas import MenteeStatus
from app.people.router import build_router

router = build_router(MENTEE_KIND, MenteeStatus)
