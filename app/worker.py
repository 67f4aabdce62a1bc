"""`mentorat worker`: the background work of the service, in a loop that stops cleanly.

Each job is an async `run_once(now) -> int` (how much work it did). The worker runs every
job in turn, again at once while any of them is busy, else after `interval` seconds. On
SIGTERM or SIGINT it finishes the job it is in (a job's claim on a message is released or
completed inside that job's own transactions) and exits. Several workers may run side by
side: every job claims its work in the database (FOR UPDATE SKIP LOCKED on PostgreSQL, an
immediate transaction on SQLite), never in process memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from app.core import clock

Job = Callable[[datetime], Awaitable[int]]
logger = logging.getLogger("mentorat.worker")


def jobs() -> list[Job]:
    """Every job of the service, in the order one round runs them."""
    from app.notifications.jobs import JOBS as NOTIFICATION_JOBS
    from app.retention.jobs import retention_daily
    from app.webhooks.jobs import JOBS as WEBHOOK_JOBS

    return [*WEBHOOK_JOBS, *NOTIFICATION_JOBS, retention_daily]


async def run_round(job_list: Sequence[Job]) -> int:
    """Run each job once; a failing job is logged (class only) and the others still run."""
    done = 0
    for job in job_list:
        try:
            done += await job(clock.now())
        except Exception as exc:  # one broken job must not stop the deliveries of others
            details = {"job": job.__name__, "error": type(exc).__name__}
            logger.error("worker job failed", extra=details)
    return done


async def run(
    stop: asyncio.Event, *, interval: float = 5.0, job_list: Sequence[Job] | None = None
) -> None:
    """Run rounds until `stop` is set: at once while there is work, else every `interval` s."""
    selected = list(job_list) if job_list is not None else jobs()
    logger.info("worker started", extra={"jobs": [j.__name__ for j in selected]})
    while not stop.is_set():
        busy = await run_round(selected)
        if busy:
            continue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
    logger.info("worker stopped")


async def main(
    *, interval: float = 5.0, once: bool = False, ready: Callable[[], None] | None = None
) -> None:
    """The `mentorat worker` process: stops on SIGTERM/SIGINT after the current job."""
    if once:
        await run_round(jobs())
        return
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if ready is not None:
        ready()
    await run(stop, interval=interval)
