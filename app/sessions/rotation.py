"""Re-encrypting confidential content with the first data key (`mentorat rotate-data-key`)."""

from __future__ import annotations

from app.core import crypto
from app.core.db import get_engine, unit_of_work
from app.sessions import repository as repo


async def rotate_data_key() -> int:
    """Re-encrypt every encrypted value with the first key of MENTORAT_DATA_KEY, in one go."""
    try:
        async for db in unit_of_work(write=True):
            return await repo.rewrite_encrypted(db, crypto.rotate)
        return 0
    finally:
        await get_engine().dispose()
