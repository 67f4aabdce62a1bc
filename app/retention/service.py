"""Retention rules: erase people whose relationship ended long ago; prune spent records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core import clock
from app.core.actor import SYSTEM
from app.core.db import open_session
from app.erasure.service import complete_pending_erasures
from app.matches.health import add_months
from app.mentees.kind import MENTEE_KIND
from app.mentors.kind import MENTOR_KIND
from app.people.service import anonymise_profile
from app.retention import repository as repo
from app.webhooks import repository as webhooks_repo

NEVER_MATCHED_YEARS = 2
RECORDS_KEPT_DAYS = 30


@dataclass
class RetentionReport:
    """What a run did (or, in a dry run, would do)."""

    anonymised: dict[str, list[str]] = field(default_factory=dict)
    refresh_tokens: int = 0
    idempotency_records: int = 0
    webhook_deliveries: int = 0
    outbox_events: int = 0

    def lines(self, dry_run: bool) -> list[str]:
        """Human-readable lines, ids only (never a name)."""
        verb = "would anonymise" if dry_run else "anonymised"
        out = [f"{verb} {role} {pid}" for role, ids in self.anonymised.items() for pid in ids]
        prune = "would delete" if dry_run else "deleted"
        out.append(f"{prune} {self.refresh_tokens} expired refresh tokens")
        out.append(f"{prune} {self.idempotency_records} idempotency records over 30 days old")
        out.append(
            f"{prune} {self.webhook_deliveries} finished webhook deliveries and "
            f"{self.outbox_events} delivered outbox events over 30 days old"
        )
        return out


def years_before(moment: datetime, years: int) -> datetime:
    """The same instant `years` earlier (February 29 becomes February 28)."""
    day = add_months(moment.date(), -12 * years)
    return moment.replace(year=day.year, month=day.month, day=day.day)


async def run(db: AsyncSession, *, dry_run: bool) -> RetentionReport:
    """Erase the profiles past their hub's retention period and prune spent records.

    Erasure goes through the people service's own anonymisation, as the `system` actor; each
    action is in the audit log. A dry run changes nothing (the caller rolls back).
    """
    now = clock.now()
    report = RetentionReport()
    cutoffs = {hub_id: years_before(now, years) for hub_id, years in await repo.hub_cutoffs(db)}
    untouched_since = years_before(now, NEVER_MATCHED_YEARS)
    for kind in (MENTEE_KIND, MENTOR_KIND):
        due = await repo.due_profiles(db, kind, cutoffs, untouched_since)
        report.anonymised[kind.role] = [str(pid) for pid, _ in due]
        if dry_run:
            continue
        for profile_id, _hub_id in due:
            await anonymise_profile(db, SYSTEM, kind, profile_id)
    report.refresh_tokens = await repo.prune_refresh_tokens(db, now, dry_run=dry_run)
    report.idempotency_records = await repo.prune_idempotency(
        db, now - timedelta(days=RECORDS_KEPT_DAYS), dry_run=dry_run
    )
    report.webhook_deliveries, report.outbox_events = await webhooks_repo.prune_history(
        db, now - timedelta(days=RECORDS_KEPT_DAYS), dry_run=dry_run
    )
    if not dry_run:
        for resource, count in (
            ("refresh_token", report.refresh_tokens),
            ("idempotency_record", report.idempotency_records),
            ("webhook_delivery", report.webhook_deliveries),
            ("outbox_event", report.outbox_events),
        ):
            if count:
                record(db, SYSTEM, "retention_prune", resource, None, None, {"count": count})
    return report


async def execute(*, dry_run: bool) -> RetentionReport:
    """One run in its own transaction: committed, or rolled back when it is a dry run."""
    db = await open_session(write=not dry_run)
    try:
        report = await run(db, dry_run=dry_run)
        if dry_run:
            await db.rollback()
        else:
            await db.commit()
            # Key destructions a crash left pending (issue of per-person keys) finish here.
            await complete_pending_erasures()
        return report
    except BaseException:
        await db.rollback()
        raise
    finally:
        await db.close()
