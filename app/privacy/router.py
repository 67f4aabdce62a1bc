"""HTTP layer of /mentors/{id}/export and /mentees/{id}/export."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from app.core.deps import CurrentActor, WritingDbSession
from app.mentees.kind import MENTEE_KIND
from app.mentors.kind import MENTOR_KIND
from app.people.kinds import ProfileKind
from app.privacy import export

router = APIRouter()


def _add_export_route(kind: ProfileKind) -> None:
    noun = kind.role

    @router.get(
        f"/{kind.plural}/{{profile_id}}/export",
        operation_id=f"{kind.plural}-export",
        summary=f"Export a {noun}'s data",
        tags=[kind.plural],
    )
    async def export_profile(
        db: WritingDbSession, actor: CurrentActor, profile_id: uuid.UUID
    ) -> dict[str, Any]:
        """Everything held about the person, as one JSON document (staff or the person)."""
        return await export.export_profile(db, actor, kind, profile_id)


for _kind in (MENTOR_KIND, MENTEE_KIND):
    _add_export_route(_kind)
