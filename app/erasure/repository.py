"""Every query of erasure and re-encryption: pending key destructions, sealed values, people."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.erasure.models import KeyDestruction
from app.mentees.models import Mentee
from app.mentors.models import Mentor


async def pending(db: AsyncSession) -> Sequence[KeyDestruction]:
    """Key destructions asked for and not yet carried out, oldest first."""
    stmt = (
        sa.select(KeyDestruction)
        .where(col(KeyDestruction.completed_at).is_(None))
        .order_by(col(KeyDestruction.requested_at), col(KeyDestruction.id))
    )
    return (await db.execute(stmt)).scalars().all()


async def mark_completed(db: AsyncSession, destruction_id: uuid.UUID, now: datetime) -> bool:
    """Mark a destruction done; False when another process did it first."""
    result = await db.execute(
        sa.update(KeyDestruction)
        .where(
            col(KeyDestruction.id) == destruction_id,
            col(KeyDestruction.completed_at).is_(None),
        )
        .values(completed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def person(db: AsyncSession, person_id: uuid.UUID) -> tuple[str, Any] | None:
    """A mentor or mentee by id, with their kind (whatever the caller's reach: a command)."""
    for kind, table in (("mentee", Mentee), ("mentor", Mentor)):
        row = (await db.execute(sa.select(table).where(col(table.id) == person_id))).scalar()
        if row is not None:
            return kind, row
    return None


def _table(name: str, columns: Sequence[str]) -> sa.TableClause:
    return sa.table(name, sa.column("id", sa.Uuid()), *(sa.column(c, sa.Text()) for c in columns))


async def sealed_rows(
    db: AsyncSession, table_name: str, columns: Sequence[str], prefix: str
) -> Sequence[sa.Row[Any]]:
    """Rows of a table holding at least one sealed value, read raw (ids and sealed values)."""
    table = _table(table_name, columns)
    stmt = sa.select(table.c.id, *(table.c[c] for c in columns)).where(
        sa.or_(*(table.c[c].startswith(prefix) for c in columns))
    )
    return (await db.execute(stmt)).all()


async def replace_value(
    db: AsyncSession, table_name: str, column: str, row_id: uuid.UUID, old: str, new: str
) -> bool:
    """Swap one stored value for another, unless it changed meanwhile (no lost update)."""
    table = _table(table_name, (column,))
    result = await db.execute(
        sa.update(table).where(table.c.id == row_id, table.c[column] == old).values({column: new})
    )
    return bool(getattr(result, "rowcount", 0))
