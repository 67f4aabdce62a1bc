"""The profiles an account may link to, as the users domain asks for them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from app.people import repository as repo
from app.people.kinds import ProfileKind


class ProfileDirectory:
    """Answers `app.users.profiles.ProfileDirectory` over the profile kinds it is given."""

    def __init__(self, kinds: Iterable[ProfileKind]) -> None:
        self._kinds = tuple(kinds)

    async def role_in_hub(
        self, db: AsyncSession, profile_id: uuid.UUID, hub_id: uuid.UUID | None
    ) -> str | None:
        """The role (`mentor`, `mentee`) of the profile with this id in this hub, else None."""
        if hub_id is None:
            return None
        for kind in self._kinds:
            if await repo.exists_in_hub(db, kind, profile_id, hub_id):
                return kind.role
        return None
