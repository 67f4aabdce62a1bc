"""Erasure by destruction: a person anonymised loses their keys once the change committed.

The anonymising transaction records a pending `KeyDestruction` (content side); once it
commits, the keys are deleted from the key store and the destruction is marked done, with
an audit entry (never the key). A crash between the two leaves the destruction pending:
`complete_pending_erasures()` finishes it, at start-up, from `mentorat rotate-data-key`,
and from `mentorat retention`.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.util import await_only

from app.audit.service import record
from app.core import envelope
from app.core.db import unit_of_work
from app.core.keystore import get_keystore
from app.core.types import utcnow
from app.erasure import repository as repo
from app.erasure.models import ERASURE, REENCRYPTION, KeyDestruction

log = logging.getLogger(__name__)

#: Set on a database session whose transaction asked for key destructions.
_ASKED = "mentorat_key_destruction_asked"


def request_erasure(
    db: AsyncSession, owner_type: str, owner_id: uuid.UUID, hub_id: uuid.UUID | None
) -> None:
    """Destroy every key of a person once this transaction commits (and never make another)."""
    db.add(KeyDestruction(owner_id=owner_id, owner_type=owner_type, hub_id=hub_id, reason=ERASURE))
    db.info[_ASKED] = True
    envelope.forget(owner_id)


def request_key_destruction(
    db: AsyncSession,
    owner_type: str,
    owner_id: uuid.UUID,
    hub_id: uuid.UUID | None,
    key_ids: list[uuid.UUID],
) -> None:
    """Destroy these keys of a person (replaced by a re-encryption) once this commits."""
    db.add(
        KeyDestruction(
            owner_id=owner_id,
            owner_type=owner_type,
            hub_id=hub_id,
            reason=REENCRYPTION,
            key_ids=[str(k) for k in key_ids],
        )
    )


async def _carry_out(destruction: KeyDestruction) -> int:
    store = get_keystore()
    if destruction.reason == ERASURE:
        count = await store.erase_owner(destruction.owner_id)
    else:
        count = await store.destroy_keys([uuid.UUID(k) for k in destruction.key_ids])
    envelope.forget(destruction.owner_id)
    return count


async def complete_pending_erasures() -> int:
    """Carry out every pending key destruction (idempotent); returns how many were completed."""
    completed = 0
    async with unit_of_work(write=True) as db:
        for destruction in await repo.pending(db):
            count = await _carry_out(destruction)
            if await repo.mark_completed(db, destruction.id, utcnow()):
                completed += 1
                # An entry of its own (the destruction), naming the person by id, never the key.
                record(
                    db,
                    None,
                    "destroy_data_key",
                    "key_destruction",
                    destruction.id,
                    destruction.hub_id,
                    {
                        "reason": destruction.reason,
                        "keys": count,
                        "owner_type": destruction.owner_type,
                        "owner_id": str(destruction.owner_id),
                    },
                )
    return completed


@event.listens_for(Session, "after_commit")
def _destroy_after_commit(session: Session) -> None:
    """Once an anonymisation committed, its keys go at once (a failure stays pending)."""
    if not session.info.pop(_ASKED, False):
        return
    try:
        await_only(complete_pending_erasures())
    except Exception:  # the change committed; the repair finishes it later
        log.exception("key destruction left pending (completed at next start or command)")


@event.listens_for(Session, "after_rollback")
def _forget_asked(session: Session) -> None:
    session.info.pop(_ASKED, None)
