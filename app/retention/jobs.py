"""The retention as a job of `mentorat worker`: once a day, by one worker."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from app.core import schedule
from app.core.config import get_settings
from app.core.db import unit_of_work
from app.retention.service import execute

logger = logging.getLogger("mentorat.retention")


async def retention_daily(now: datetime) -> int:
    """Run the retention when its period has passed (`MENTORAT_RETENTION_INTERVAL_HOURS`)."""
    hours = get_settings().retention_interval_hours
    if hours <= 0:
        return 0
    async with unit_of_work(write=True) as db:
        claimed = await schedule.claim(db, "retention", timedelta(hours=hours), now)
    if not claimed:
        return 0
    report = await execute(dry_run=False)
    anonymised = sum(len(ids) for ids in report.anonymised.values())
    logger.info(
        "retention run",
        extra={
            "anonymised": anonymised,
            "refresh_tokens": report.refresh_tokens,
            "idempotency_records": report.idempotency_records,
            "webhook_deliveries": report.webhook_deliveries,
            "outbox_events": report.outbox_events,
        },
    )
    # Done for the period: the worker need not come back at once.
    return 0
