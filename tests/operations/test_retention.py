"""Retention with a controlled clock: who is erased, what is pruned, and the dry run."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core import clock
from app.core.db import unit_of_work
from app.core.idempotency import IdempotencyRecord
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from app.retention.service import execute
from app.users.models import AuthSession, RefreshToken
from tests.factories import make_hub, make_user
from tests.reports.program import match, mentee, mentor, save

NOW = datetime(2034, 6, 15, 12, 0, tzinfo=UTC)


def t(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


async def world() -> dict[str, Any]:
    """Profiles on either side of each rule, and spent and live records."""
    hub = await make_hub()  # 7 years
    long_hub = await make_hub(retention_years=10)
    busy = mentor(hub)
    old, recent, idle, fresh = (
        mentee(hub, "completed", t("2026-01-01")),
        mentee(hub, "completed", t("2026-01-01")),
        mentee(hub, "waiting", t("2031-01-01")),
        mentee(hub, "waiting", t("2033-12-01")),
    )
    kept_longer = mentee(long_hub, "completed", t("2026-01-01"))
    long_mentor = mentor(long_hub)
    current = mentee(hub, "active", t("2033-01-01"))
    rows: list[Any] = [busy, long_mentor, old, recent, idle, fresh, kept_longer, current]
    rows += [
        match(hub, old, busy, "completed", t("2026-01-05"), date(2026, 1, 10), t("2027-01-01")),
        match(hub, recent, busy, "completed", t("2026-01-05"), date(2026, 1, 10), t("2030-01-01")),
        match(hub, current, busy, "active", t("2033-01-05"), date(2033, 1, 10)),
        match(
            long_hub,
            kept_longer,
            long_mentor,
            "completed",
            t("2026-01-05"),
            date(2026, 1, 10),
            t("2027-01-01"),
        ),
    ]
    await save(rows)
    user = await make_user("coordinator", hub)
    login = AuthSession(user_id=user.id)
    async with unit_of_work(write=True) as db:
        db.add(login)
        await db.flush()
        db.add_all(
            [
                RefreshToken(
                    session_id=login.id,
                    token_digest=uuid.uuid4().hex,
                    expires_at=t("2034-06-01"),
                ),
                RefreshToken(
                    session_id=login.id,
                    token_digest=uuid.uuid4().hex,
                    expires_at=t("2034-07-01"),
                ),
                IdempotencyRecord(
                    caller="user:x", key="old", fingerprint="f", created_at=t("2034-05-01")
                ),
                IdempotencyRecord(
                    caller="user:x", key="new", fingerprint="f", created_at=t("2034-06-10")
                ),
            ]
        )
    return {"old": old, "idle": idle, "keep": [recent, fresh, kept_longer, current]}


async def names() -> dict[uuid.UUID, tuple[str, Any]]:
    out: dict[uuid.UUID, tuple[str, Any]] = {}
    async with unit_of_work(write=False) as db:
        for table in (Mentee, Mentor):
            for row in (await db.execute(sa.select(table))).scalars():
                out[row.id] = (row.first_name, row.anonymised_at)
    return out


async def counts() -> tuple[int, int, int]:
    async with unit_of_work(write=False) as db:
        tokens = (await db.execute(sa.select(sa.func.count()).select_from(RefreshToken))).scalar()
        records = (
            await db.execute(sa.select(sa.func.count()).select_from(IdempotencyRecord))
        ).scalar()
        audit = (await db.execute(sa.select(sa.func.count()).select_from(AuditEvent))).scalar()
    return int(tokens or 0), int(records or 0), int(audit or 0)


async def test_dry_run_prints_and_changes_nothing(client: httpx.AsyncClient) -> None:
    people = await world()
    before, before_counts = await names(), await counts()
    report = await execute(dry_run=True)
    assert sorted(report.anonymised["mentee"]) == sorted(
        [str(people["old"].id), str(people["idle"].id)]
    )
    assert report.anonymised["mentor"] == []
    assert report.refresh_tokens == 1 and report.idempotency_records == 1
    lines = report.lines(dry_run=True)
    assert f"would anonymise mentee {people['old'].id}" in lines
    assert "would delete 1 expired refresh tokens" in lines
    assert await names() == before
    assert await counts() == before_counts


async def test_run_erases_the_due_and_prunes_with_audit(client: httpx.AsyncClient) -> None:
    people = await world()
    _, _, audit_before = await counts()
    await execute(dry_run=False)
    after = await names()
    for due in (people["old"], people["idle"]):
        assert after[due.id][0] == "Anonyme" and after[due.id][1] is not None
    for kept in people["keep"]:
        assert after[kept.id] == ("Luc", None)
    tokens, records, audit_after = await counts()
    assert (tokens, records) == (1, 1)
    async with unit_of_work(write=False) as db:
        events = (
            (
                await db.execute(sa.select(AuditEvent).order_by(AuditEvent.at))  # type: ignore[arg-type]
            )
            .scalars()
            .all()
        )
    erased = [e for e in events if e.action == "anonymise"]
    assert {e.resource_id for e in erased} == {people["old"].id, people["idle"].id}
    assert {e.actor_type for e in erased} == {"system"}
    pruned = {e.resource_type: e.details["count"] for e in events if e.action == "retention_prune"}
    assert pruned == {"refresh_token": 1, "idempotency_record": 1}
    # Each erased person's data key is destroyed too (per-person keys), and audited.
    destroyed = [e for e in events if e.action == "destroy_data_key"]
    assert len(destroyed) == 2
    assert audit_after == audit_before + 4 + len(destroyed)
    # A second run finds nothing left to do.
    again = await execute(dry_run=False)
    assert again.anonymised == {"mentee": [], "mentor": []}
    assert again.refresh_tokens == 0 and again.idempotency_records == 0
