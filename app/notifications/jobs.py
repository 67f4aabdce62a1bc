"""The notifications' work for `mentorat worker`: each job is `run_once(now) -> int`.

`queue_time_based` finds the reminders, evaluation reminders and digests that are due;
`send_queued` sends what the outbox holds. A message is claimed by one worker before it
is sent (FOR UPDATE SKIP LOCKED on PostgreSQL, an immediate transaction on SQLite), and
its outcome is recorded only by the worker that still holds the claim: never sent twice
by two workers. SMTP failures are retried with exponential backoff.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from app.core.config import get_settings
from app.core.db import unit_of_work
from app.notifications import repository as repo
from app.notifications import scheduler
from app.notifications.delivery import PermanentFailure, TemporaryFailure, deliver
from app.notifications.models import FAILED, QUEUED, SENT, SKIPPED

logger = logging.getLogger("mentorat.notifications")

# How many messages one run sends at most; the worker runs again at once when busy.
BATCH = 100


async def queue_time_based(now: datetime) -> int:
    """Queue the session reminders, evaluation reminders and weekly digests now due."""
    queued = 0
    async with unit_of_work(write=True) as db:
        queued += await scheduler.queue_reminders(db, now)
        queued += await scheduler.queue_evaluation_reminders(db, now)
        queued += await scheduler.queue_digests(db, now)
    if queued:
        logger.info("notifications queued", extra={"count": queued})
    return queued


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt: base, then doubling, capped at six hours."""
    base = get_settings().mail_retry_base_seconds
    return timedelta(seconds=min(base * 2 ** max(0, attempts - 1), 6 * 3600))


async def _claim_one(now: datetime, lease_until: datetime) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    async with unit_of_work(write=True) as db:
        ids = await repo.claim_due(db, now, lease_until, limit=1)
    return ids


async def send_queued(now: datetime) -> int:
    """Send due messages one claim at a time; returns how many were sent."""
    settings = get_settings()
    # Longer than one SMTP conversation can last: a live sender never loses its claim.
    lease = timedelta(seconds=settings.smtp_timeout_seconds * 4 + 60)
    sent = 0
    for _ in range(BATCH):
        lease_until = now + lease
        ids = await _claim_one(now, lease_until)
        if not ids:
            break
        notification_id = ids[0]
        async with unit_of_work(write=False) as db:
            notification = await repo.get(db, notification_id)
        if notification is None:
            continue
        attempts = notification.attempts + 1
        outcome: dict[str, object]
        if notification.expires_at is not None and notification.expires_at <= now:
            outcome = {"status": SKIPPED, "last_error": "expired"}
        else:
            try:
                await deliver(notification)
            except PermanentFailure as exc:
                outcome = {"status": FAILED, "attempts": attempts, "last_error": str(exc)}
            except TemporaryFailure as exc:
                final = attempts >= settings.mail_max_attempts
                outcome = {
                    "status": FAILED if final else QUEUED,
                    "attempts": attempts,
                    "last_error": str(exc),
                    "next_attempt_at": now + backoff(attempts),
                }
            else:
                outcome = {"status": SENT, "attempts": attempts, "sent_at": now, "last_error": None}
                sent += 1
        if outcome["status"] != QUEUED:
            # Done with: the bodies (names, single-use links) are not kept once useless.
            outcome.update(body_text="", body_html="", attachment=None)
        async with unit_of_work(write=True) as db:
            await repo.finish(db, notification_id, lease_until, **outcome)
        logger.info(
            "notification %s",
            outcome["status"],
            extra={"notification_id": str(notification_id), "template": notification.template},
        )
    return sent


JOBS: list[Callable[[datetime], Awaitable[int]]] = [queue_time_based, send_queued]


async def run_all(now: datetime) -> dict[str, int]:
    """Every job once (the `notify-once` command and tests)."""
    return {job.__name__: await job(now) for job in JOBS}
