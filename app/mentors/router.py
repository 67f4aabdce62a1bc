"""HTTP layer of /mentors."""

from __future__ import annotations

from app.mentors.kind import MENTOR_KIND
from app.mentors.schemas import MentorStatus
from app.people.router import build_router

router = build_router(MENTOR_KIND, MentorStatus)
