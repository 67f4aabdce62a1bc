"""Linking mentor and mentee accounts to their profiles."""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.actor import MENTEE, MENTOR
from app.core.errors import Conflict, Text, ValidationFailed
from app.users import repository as repo

LINKED_ROLES = (MENTOR, MENTEE)


class ProfileAlreadyLinked(Conflict):
    """409: another account already links this profile."""

    type = "profile-already-linked"
    title = Text(fr="Profil déjà lié", en="Profile already linked")
    detail = Text(
        fr="Ce profil est déjà lié à un autre compte.",
        en="This profile is already linked to another account.",
    )


class ProfileDirectory(Protocol):
    """Where profiles live (the people domain, above this one); registered by app.wiring."""

    async def role_in_hub(
        self, db: AsyncSession, profile_id: uuid.UUID, hub_id: uuid.UUID | None
    ) -> str | None:
        """The role of the profile with this id in this hub, or None."""
        ...


_directory: ProfileDirectory | None = None


def register_directory(directory: ProfileDirectory) -> None:
    """The composition root names the profile directory."""
    global _directory
    _directory = directory


async def check_link(
    db: AsyncSession, *, role: str, hub_id: uuid.UUID | None, profile_id: uuid.UUID | None
) -> None:
    """A mentor or mentee account links one unlinked profile of its kind and hub."""
    loc = ["body", "profile_id"]
    if role not in LINKED_ROLES:
        if profile_id is not None:
            raise ValidationFailed.field(
                loc, "Only mentor and mentee accounts have a profile", "custom"
            )
        return
    if profile_id is None:
        raise ValidationFailed.field(loc, "Field required", "missing")
    assert _directory is not None, "app.wiring.load() registers the profile directory"
    found = await _directory.role_in_hub(db, profile_id, hub_id)
    if found is None:
        raise ValidationFailed.unreachable(loc)
    if found != role:
        raise ValidationFailed.field(loc, f"Not a {role} profile", "custom")
    if await repo.profile_linked(db, profile_id):
        raise ProfileAlreadyLinked()
