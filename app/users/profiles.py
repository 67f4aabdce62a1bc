"""Linking mentor and mentee accounts to their profiles."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.actor import MENTEE, MENTOR
from app.core.errors import Conflict, ValidationFailed
from app.mentees.kind import MENTEE_KIND
from app.mentors.kind import MENTOR_KIND
from app.people import repository as people_repo
from app.users import repository as repo

KINDS = {MENTOR: MENTOR_KIND, MENTEE: MENTEE_KIND}


class ProfileAlreadyLinked(Conflict):
    """409: another account already links this profile."""

    type = "profile-already-linked"


async def check_link(
    db: AsyncSession, *, role: str, hub_id: uuid.UUID | None, profile_id: uuid.UUID | None
) -> None:
    """A mentor or mentee account links one unlinked profile of its kind and hub."""
    loc = ["body", "profile_id"]
    if role not in KINDS:
        if profile_id is not None:
            raise ValidationFailed.field(
                loc, "Only mentor and mentee accounts have a profile", "custom"
            )
        return
    if profile_id is None:
        raise ValidationFailed.field(loc, "Field required", "missing")
    kind = KINDS[role]
    profile_hub = await people_repo.profile_hub(db, kind, profile_id)
    if profile_hub is None:
        other = KINDS[MENTEE if role == MENTOR else MENTOR]
        if await people_repo.profile_hub(db, other, profile_id) == hub_id:
            raise ValidationFailed.field(loc, f"Not a {role} profile", "custom")
        raise ValidationFailed.unreachable(loc)
    if profile_hub != hub_id:
        raise ValidationFailed.unreachable(loc)
    if await repo.profile_linked(db, profile_id):
        raise ProfileAlreadyLinked()
