"""Re-encrypting what the service key itself encrypts with its first key (`rotate-data-key`).

Person keys are rewrapped by app.erasure.rotation; this covers the rest: every EncryptedText
column (webhook secrets, email bodies), idempotency answers stored before they were sealed
under their caller's key, and content not yet moved under person keys (migration 0012b).
"""

from __future__ import annotations

from app.core import crypto
from app.core.db import get_engine, unit_of_work
from app.sessions import repository as repo


async def rotate_data_key() -> int:
    """Re-encrypt every value under the service key with its first key, in one go."""
    changed = 0
    try:
        # Let the unit of work run to its end: returning from inside the loop would leave
        # the generator suspended before its commit, and the rotation would be lost.
        async with unit_of_work(write=True) as db:
            changed = await repo.rewrite_encrypted(db, crypto.rotate)
        return changed
    finally:
        await get_engine().dispose()
