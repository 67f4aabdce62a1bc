"""Jobs that run every so often, once across all workers: a row per job, claimed atomically.

`mentorat worker` runs its jobs every few seconds; a job meant to run once a day (the
retention) asks `claim(db, name, every, now)` first. The claim is one conditional UPDATE
on the job's row, so that of several workers (or processes) exactly one wins each period,
on PostgreSQL and on SQLite alike, and a restart does not run it again early.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from app.core.models import timestamp_field


class JobRun(SQLModel, table=True):
    """When a periodic job last started."""

    __tablename__ = "job_run"

    name: str = Field(primary_key=True, max_length=40)
    last_started_at: datetime | None = timestamp_field()


async def claim(db: AsyncSession, name: str, every: timedelta, now: datetime) -> bool:
    """True for the one caller that may start the job now (its period has passed)."""
    insert: Any = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    await db.execute(
        insert(JobRun).values(name=name, last_started_at=None).on_conflict_do_nothing()
    )
    result: Any = await db.execute(
        sa.update(JobRun)
        .where(
            col(JobRun.name) == name,
            sa.or_(
                col(JobRun.last_started_at).is_(None), col(JobRun.last_started_at) <= now - every
            ),
        )
        .values(last_started_at=now)
    )
    return bool(result.rowcount == 1)
