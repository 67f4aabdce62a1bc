"""Sending: retries after SMTP failures, the .eml fallback, the admins' log."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from app.core.config import get_settings
from app.core.db import unit_of_work
from app.notifications.models import Notification
from tests.factories import login_as
from tests.helpers import assert_problem
from tests.notifications.common import (
    API,
    NOW,
    Mailbox,
    freeze,
    people,
    propose,
    text_of,
    work,
)


async def test_a_refused_message_is_retried_later_and_sent_once(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    admin = await login_as(client, "admin")
    p = await people(client)
    await propose(client, p)
    smtp.refuse_next = 2
    assert (await work())["send_queued"] == 0
    assert smtp.messages == []
    log = (await client.get(f"{API}/notifications", headers=admin.headers)).json()["items"]
    assert [(n["status"], n["attempts"]) for n in log] == [("queued", 1), ("queued", 1)]
    assert all("451" in n["last_error"] for n in log)
    # Not before the backoff has passed.
    assert (await work(NOW + timedelta(seconds=30)))["send_queued"] == 0
    later = NOW + timedelta(minutes=2)
    assert (await work(later))["send_queued"] == 2
    assert sorted(m["To"] for m in smtp.messages) == sorted(
        [p.mentor_user.user.email, p.mentee_user.user.email]
    )
    assert (await work(later + timedelta(hours=1)))["send_queued"] == 0
    assert len(smtp.messages) == 2
    log = (await client.get(f"{API}/notifications", headers=admin.headers)).json()["items"]
    assert {(n["status"], n["attempts"]) for n in log} == {("sent", 2)}
    assert all(n["sent_at"] is not None and n["last_error"] is None for n in log)
    # Once sent, the bodies are not kept.
    async with unit_of_work(write=False) as db:
        rows = (await db.execute(sa.select(Notification))).scalars().all()
        assert {(r.body_text, r.body_html, r.attachment) for r in rows} == {("", "", None)}


async def test_a_permanent_refusal_or_too_many_failures_stop_the_retries(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    monkeypatch.setenv("MENTORAT_MAIL_MAX_ATTEMPTS", "2")
    get_settings.cache_clear()
    admin = await login_as(client, "admin")
    p = await people(client)
    await propose(client, p)
    smtp.refuse_next = 1
    smtp.refusal = "550 5.1.1 No such mailbox"
    await work()
    # The refused message is not retried; the other one went.
    assert len(smtp.messages) == 1
    log = (await client.get(f"{API}/notifications", headers=admin.headers)).json()["items"]
    assert sorted((n["status"], n["attempts"]) for n in log) == [("failed", 1), ("sent", 1)]
    await work(NOW + timedelta(hours=1))
    assert len(smtp.messages) == 1

    smtp.clear()
    smtp.refusal = "451 4.3.0 Try again later"
    smtp.refuse_next = 4
    second = await people(client)
    await propose(client, second)
    await work(NOW + timedelta(hours=1))
    await work(NOW + timedelta(hours=2))
    await work(NOW + timedelta(hours=3))
    assert smtp.messages == []
    r = await client.get(f"{API}/notifications", params={"status": "failed"}, headers=admin.headers)
    failed = [n for n in r.json()["items"] if n["hub_id"] == str(second.hub.id)]
    assert sorted(n["attempts"] for n in failed) == [2, 2]
    r = await client.get(f"{API}/notifications?status=failed&limit=1", headers=admin.headers)
    assert len(r.json()["items"]) == 1 and r.json()["next_cursor"] is not None
    r = await client.get(
        f"{API}/notifications",
        params={"status": "failed", "limit": 1, "cursor": r.json()["next_cursor"]},
        headers=admin.headers,
    )
    assert len(r.json()["items"]) == 1


async def test_without_smtp_host_messages_are_eml_files(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    freeze(monkeypatch)
    monkeypatch.delenv("MENTORAT_SMTP_HOST", raising=False)
    monkeypatch.setenv("MENTORAT_MAIL_DIR", str(tmp_path / "mail"))
    get_settings.cache_clear()
    try:
        p = await people(client)
        await propose(client, p)
        assert (await work())["send_queued"] == 2
        files = sorted((tmp_path / "mail").glob("*.eml"))
        assert len(files) == 2
        messages = [
            email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files
        ]
        by_recipient = {m["To"]: m for m in messages}
        mentee_mail = by_recipient[p.mentee_user.user.email]
        assert mentee_mail["Subject"] == "A mentoring match is proposed to you"
        assert "Marie" in text_of(mentee_mail)  # type: ignore[arg-type]
        assert p.mentor_user.user.email in by_recipient
        assert (await work())["send_queued"] == 0
        assert len(list((tmp_path / "mail").glob("*.eml"))) == 2
    finally:
        get_settings.cache_clear()


async def test_only_admins_read_the_log_and_never_a_body(
    client: httpx.AsyncClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    p = await people(client)
    await propose(client, p)
    await work()
    admin = await login_as(client, "admin")
    r = await client.get(f"{API}/notifications", headers=p.coord.headers)
    assert_problem(r, 403, "forbidden")
    r = await client.get(f"{API}/notifications", headers=p.mentor_user.headers)
    assert_problem(r, 403, "forbidden")
    r = await client.get(f"{API}/notifications", headers=admin.headers)
    assert r.status_code == 200
    page = r.json()
    assert set(page) == {"items", "next_cursor"}
    item = page["items"][0]
    assert set(item) == {
        "id",
        "recipient_user_id",
        "recipient_email",
        "hub_id",
        "template",
        "locale",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "created_at",
    }
    assert {(i["recipient_email"], i["locale"]) for i in page["items"]} == {
        (p.mentor_user.user.email, "fr"),
        (p.mentee_user.user.email, "en"),
    }
    assert "Luc" not in r.text and "Marie" not in r.text
    r = await client.get(
        f"{API}/notifications",
        params={"recipient_user_id": str(p.mentee_user.user.id), "template": "match_proposed"},
        headers=admin.headers,
    )
    assert [i["recipient_email"] for i in r.json()["items"]] == [p.mentee_user.user.email]
    r = await client.get(f"{API}/notifications?status=lost", headers=admin.headers)
    assert_problem(r, 422, "validation-error")
