"""A reading request sees one snapshot, even while another request writes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.core.db import get_engine, open_session, unit_of_work
from tests.factories import make_hub


async def _hub_count(db) -> int:
    return int(await db.scalar(sa.text("SELECT count(*) FROM hub")))


async def test_a_read_sees_one_snapshot_and_cannot_write(app):
    await make_hub()
    reader = await open_session(write=False)
    try:
        before = await _hub_count(reader)
        await make_hub()  # committed by another request meanwhile
        assert await _hub_count(reader) == before
        if get_engine().dialect.name == "postgresql":
            with pytest.raises(sa.exc.DBAPIError):
                await reader.execute(sa.text("DELETE FROM hub"))
    finally:
        await reader.rollback()
        await reader.close()
    async with unit_of_work(write=False) as db:
        assert await _hub_count(db) == before + 1
