"""Linking mentor and mentee accounts to their profiles."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.actor import MENTEE, MENTOR
from app.core.errors import ValidationFailed


async def check_link(
    db: AsyncSession, *, role: str, hub_id: uuid.UUID | None, profile_id: uuid.UUID | None
) -> None:
    """Only mentor and mentee accounts link a profile."""
    if profile_id is None:
        return
    if role not in (MENTOR, MENTEE):
        raise ValidationFailed.field(
            ["body", "profile_id"], "Only mentor and mentee accounts have a profile", "custom"
        )
    # Profiles are not stored yet: any id names nothing the caller can reach.
    raise ValidationFailed.unreachable(["body", "profile_id"])
