"""Deliveries to a real receiver on 127.0.0.1: signed, retried, never redirected, logged."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import time
import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.core import clock
from app.core.config import get_settings
from app.core.db import unit_of_work
from app.core.events import DomainEvent, publish
from app.outbox.models import OutboxEvent
from app.webhooks import jobs, urls
from app.webhooks.signing import sign
from tests.factories import login_as, make_hub
from tests.helpers import assert_problem
from tests.people.common import mentee_body
from tests.webhooks.common import API, code_block, create_webhook, deliver_all, python_verifier


async def _hub_with_hook(client, receiver, events=("mentee.created", "mentee.updated")):  # type: ignore[no-untyped-def]
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    hook = await create_webhook(client, staff.headers, receiver.url, list(events))
    return hub, staff, hook


async def _new_mentee(client, headers, **extra):  # type: ignore[no-untyped-def]
    response = await client.post(f"{API}/mentees", json=mentee_body(**extra), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _outbox() -> list[OutboxEvent]:
    async with unit_of_work(write=False) as db:
        rows = await db.execute(sa.select(OutboxEvent).order_by(OutboxEvent.occurred_at))
        return list(rows.scalars().all())


async def test_a_change_is_delivered_signed_and_the_docs_verifier_accepts_it(client, receiver):
    _hub, staff, hook = await _hub_with_hook(client, receiver)
    mentee = await _new_mentee(client, staff.headers, first_name="Geneviève")
    assert await deliver_all() > 0

    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    payload = json.loads(got.body)
    assert payload["type"] == "mentee.created"
    assert payload["data"]["mentee_id"] == mentee["id"]
    assert payload["links"]["self"].endswith(f"/api/v1/mentees/{mentee['id']}")
    assert got.headers["webhook-id"] == payload["id"]
    assert got.headers["content-type"] == "application/json"
    # Thin: no personal field of the mentee travels.
    for value in (mentee["first_name"], mentee["last_name"], mentee["email"], mentee["phone"]):
        assert value not in got.body.decode()

    verify = python_verifier()
    verify(hook["secret"], got.headers, got.body)
    with pytest.raises(ValueError, match="signature"):
        verify(hook["secret"], got.headers, got.body + b" ")
    other_secret = "whsec_" + base64.b64encode(b"x" * 32).decode()
    with pytest.raises(ValueError, match="signature"):
        verify(other_secret, got.headers, got.body)


async def test_the_verifier_rejects_an_old_timestamp(client, receiver):
    _hub, staff, hook = await _hub_with_hook(client, receiver)
    await _new_mentee(client, staff.headers)
    await deliver_all()
    got = receiver.requests[0]
    verify = python_verifier()
    old = str(int(time.time()) - 3600)
    replayed = {
        **got.headers,
        "webhook-timestamp": old,
        "webhook-signature": sign(hook["secret"], got.headers["webhook-id"], int(old), got.body),
    }
    with pytest.raises(ValueError, match="timestamp"):
        verify(hook["secret"], replayed, got.body)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
async def test_the_javascript_verifier_of_the_docs_agrees(client, receiver, tmp_path):
    _hub, staff, hook = await _hub_with_hook(client, receiver)
    await _new_mentee(client, staff.headers)
    await deliver_all()
    got = receiver.requests[0]
    (tmp_path / "verify.js").write_text(code_block("js"), encoding="utf-8")
    runner = tmp_path / "run.js"
    runner.write_text(
        "const { verify } = require('./verify.js');\n"
        "const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));\n"
        "try { verify(input.secret, input.headers, Buffer.from(input.body, 'base64'));"
        " console.log('ok'); } catch (e) { console.log('refused: ' + e.message); }\n",
        encoding="utf-8",
    )

    def run(headers: dict[str, str], body: bytes) -> str:
        data = {
            "secret": hook["secret"],
            "headers": headers,
            "body": base64.b64encode(body).decode(),
        }
        done = subprocess.run(
            ["node", str(runner)],
            input=json.dumps(data),
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        return done.stdout.strip()

    assert run(got.headers, got.body) == "ok"
    assert run(got.headers, got.body + b"x").startswith("refused: no valid signature")
    old = str(int(time.time()) - 3600)
    stale = {
        **got.headers,
        "webhook-timestamp": old,
        "webhook-signature": sign(hook["secret"], got.headers["webhook-id"], int(old), got.body),
    }
    assert run(stale, got.body).startswith("refused: timestamp")


async def test_failures_are_retried_with_the_same_event_id_until_delivered(client, receiver):
    _hub, staff, hook = await _hub_with_hook(client, receiver)
    receiver.answer(500, body=b"database down")
    receiver.answer(503)
    await _new_mentee(client, staff.headers)
    await deliver_all()
    assert len(receiver.requests) == 3
    assert len(set(receiver.ids())) == 1
    log = await client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=staff.headers)
    [delivery] = log.json()["items"]
    assert delivery["status"] == "succeeded"
    assert delivery["attempts"] == 3
    assert delivery["status_code"] == 200 and delivery["error"] is None
    assert delivery["next_attempt_at"] is None and delivery["delivered_at"] is not None
    assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 503, 200]
    assert [a["error"] for a in delivery["attempt_log"]] == ["http_status", "http_status", None]
    assert all(isinstance(a["duration_ms"], int) for a in delivery["attempt_log"])
    assert delivery["event_id"] == receiver.ids()[0]


async def test_backoff_waits_longer_each_time_and_gives_up_after_the_window(
    client, receiver, monkeypatch
):
    monkeypatch.setenv("MENTORAT_WEBHOOK_RETRY_BASE_SECONDS", "60")
    monkeypatch.setenv("MENTORAT_WEBHOOK_RETRY_WINDOW_SECONDS", "600")
    get_settings.cache_clear()
    _hub, staff, hook = await _hub_with_hook(client, receiver)
    receiver.default = (500, {}, b"x" * 5000, 0.0)
    await _new_mentee(client, staff.headers)
    start = clock.now()
    await jobs.dispatch_outbox(start)
    waits: list[float] = []
    moment = start
    for _ in range(10):
        if not await jobs.deliver_due(moment):
            break
        log = await client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=staff.headers)
        [delivery] = log.json()["items"]
        assert len(delivery["response_body"]) <= 1024
        if delivery["status"] == "failed":
            break
        nxt = datetime.fromisoformat(delivery["next_attempt_at"].replace("Z", "+00:00"))
        waits.append((nxt - moment).total_seconds())
        # Nothing is sent before the next try is due.
        assert await jobs.deliver_due(nxt - timedelta(seconds=1)) == 0
        moment = nxt
    assert delivery["status"] == "failed"
    assert delivery["next_attempt_at"] is None
    # 60 s, 120 s, 240 s ... each ±25%: strictly growing; the 10-minute window ends it.
    assert len(waits) >= 2 and all(b > a for a, b in itertools.pairwise(waits))
    assert 45 <= waits[0] <= 75
    assert len(set(receiver.ids())) == 1


async def test_a_redirect_is_not_followed(client, receiver):
    _hub, staff, hook = await _hub_with_hook(client, receiver)
    receiver.answer(302, {"location": f"http://127.0.0.1:{receiver.port}/elsewhere"})
    await _new_mentee(client, staff.headers)
    await jobs.dispatch_outbox(clock.now())
    await jobs.deliver_due(clock.now())
    assert [r.path for r in receiver.requests] == ["/hook"]
    log = await client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=staff.headers)
    [delivery] = log.json()["items"]
    assert delivery["status"] == "pending"
    assert delivery["status_code"] == 302 and delivery["error"] == "redirect"


async def test_a_slow_receiver_times_out(client, receiver, monkeypatch):
    monkeypatch.setenv("MENTORAT_WEBHOOK_TIMEOUT_SECONDS", "0.3")
    get_settings.cache_clear()
    _hub, staff, hook = await _hub_with_hook(client, receiver)
    receiver.answer(200, delay=1.5)
    await _new_mentee(client, staff.headers)
    await jobs.dispatch_outbox(clock.now())
    await jobs.deliver_due(clock.now())
    log = await client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=staff.headers)
    [delivery] = log.json()["items"]
    assert delivery["status"] == "pending" and delivery["error"] == "timeout"
    assert delivery["status_code"] is None


async def test_an_address_turned_private_is_refused_at_delivery(client, receiver, monkeypatch):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    monkeypatch.setenv("MENTORAT_WEBHOOK_ALLOW_PRIVATE", "false")
    get_settings.cache_clear()
    answers = {"n": 0}

    async def rebinding(host: str, port: int) -> list[object]:
        # Public when the webhook is created; the receiver's loopback address afterwards.
        answers["n"] += 1
        import ipaddress

        return [ipaddress.ip_address("93.184.215.14" if answers["n"] == 1 else "127.0.0.1")]

    monkeypatch.setattr(urls, "resolve", rebinding)
    hook = await create_webhook(
        client, staff.headers, f"http://partner.example:{receiver.port}/hook", ["mentee.created"]
    )
    await _new_mentee(client, staff.headers)
    await jobs.dispatch_outbox(clock.now())
    await jobs.deliver_due(clock.now())
    assert receiver.requests == []
    log = await client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=staff.headers)
    [delivery] = log.json()["items"]
    assert delivery["error"] == "blocked_address" and delivery["status"] == "pending"


async def test_a_delivery_connects_to_the_checked_address_with_the_original_host(
    client, receiver, monkeypatch
):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    await create_webhook(
        client, staff.headers, f"http://partner.example:{receiver.port}/hook", ["mentee.created"]
    )
    monkeypatch.setenv("MENTORAT_WEBHOOK_ALLOW_PRIVATE", "false")
    get_settings.cache_clear()
    import ipaddress

    async def resolved(host: str, port: int) -> list[object]:
        return [ipaddress.ip_address("127.0.0.1")]

    # Pretend loopback is public so the pinned connection can reach the local receiver.
    monkeypatch.setattr(urls, "resolve", resolved)
    monkeypatch.setattr(urls, "is_public", lambda address: True)
    await _new_mentee(client, staff.headers)
    await jobs.dispatch_outbox(clock.now())
    await jobs.deliver_due(clock.now())
    [got] = receiver.requests
    assert got.headers["host"] == f"partner.example:{receiver.port}"


async def test_nothing_is_told_of_a_refused_or_rolled_back_change(client, receiver):
    hub, staff, _hook = await _hub_with_hook(client, receiver)
    refused = await client.post(
        f"{API}/mentees", json=mentee_body(email="not-an-email"), headers=staff.headers
    )
    assert refused.status_code == 422
    first = await _new_mentee(client, staff.headers)
    duplicate = await client.post(
        f"{API}/mentees", json=mentee_body(email=first["email"]), headers=staff.headers
    )
    assert duplicate.status_code == 409
    with pytest.raises(RuntimeError):
        async with unit_of_work(write=True) as db:
            await publish(
                db,
                DomainEvent(
                    type="mentee.updated", hub_id=hub.id, subject={"mentee_id": uuid.uuid4()}
                ),
            )
            raise RuntimeError("the change fails after its event")
    assert [e.type for e in await _outbox()] == ["mentee.created"]
    await deliver_all()
    assert len(receiver.requests) == 1


async def test_a_refused_proposal_emits_no_event(client, receiver):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    await create_webhook(client, staff.headers, receiver.url, ["match.proposed"])
    mentee = await _new_mentee(client, staff.headers)  # an applicant: not waiting
    from tests.people.common import mentor_body

    mentor = await client.post(
        f"{API}/mentors",
        json=mentor_body(status="active", trained_on="2026-01-10", ethics_signed_on="2026-01-10"),
        headers=staff.headers,
    )
    assert mentor.status_code == 201, mentor.text
    proposal = await client.post(
        f"{API}/matches",
        json={"mentee_id": mentee["id"], "mentor_id": mentor.json()["id"]},
        headers=staff.headers,
    )
    assert_problem(proposal, 409, "mentee-not-waiting")
    assert "match.proposed" not in [e.type for e in await _outbox()]
    await deliver_all()
    assert receiver.requests == []


async def test_inactive_deleted_and_later_webhooks_receive_nothing(client, receiver):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    paused = await create_webhook(
        client, staff.headers, receiver.url, ["mentee.created"], is_active=False
    )
    deleted = await create_webhook(client, staff.headers, receiver.url, ["mentee.created"])
    other_type = await create_webhook(client, staff.headers, receiver.url, ["mentor.created"])
    assert (
        await client.delete(f"{API}/webhooks/{deleted['id']}", headers=staff.headers)
    ).status_code == 204
    other_hub = await make_hub()
    other_staff = await login_as(client, "coordinator", other_hub)
    elsewhere = await create_webhook(client, other_staff.headers, receiver.url, ["mentee.created"])
    await _new_mentee(client, staff.headers)
    later = await create_webhook(client, staff.headers, receiver.url, ["mentee.created"])
    await deliver_all()
    assert receiver.requests == []
    for hook, headers in (
        (paused, staff.headers),
        (other_type, staff.headers),
        (elsewhere, other_staff.headers),
        (later, staff.headers),
    ):
        log = await client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=headers)
        assert log.json()["items"] == [], hook


async def test_redeliver_sends_the_same_event_again(client, receiver):
    _hub, staff, hook = await _hub_with_hook(client, receiver)
    await _new_mentee(client, staff.headers)
    await deliver_all()
    log = await client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=staff.headers)
    [first] = log.json()["items"]
    again = await client.post(
        f"{API}/webhooks/{hook['id']}/deliveries/{first['id']}/redeliver", headers=staff.headers
    )
    assert again.status_code == 202, again.text
    assert again.json()["status"] == "pending"
    assert again.json()["redelivery_of"] == first["id"]
    assert again.json()["event_id"] == first["event_id"]
    await deliver_all()
    assert receiver.ids() == [first["event_id"], first["event_id"]]
    log = await client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=staff.headers)
    assert [d["status"] for d in log.json()["items"]] == ["succeeded", "succeeded"]
    missing = await client.post(
        f"{API}/webhooks/{hook['id']}/deliveries/{uuid.uuid4()}/redeliver", headers=staff.headers
    )
    assert_problem(missing, 404)


async def test_the_delivery_log_pages_and_filters(client, receiver):
    _hub, staff, hook = await _hub_with_hook(client, receiver)
    receiver.answer(500)
    for _ in range(3):
        await _new_mentee(client, staff.headers)
    await jobs.dispatch_outbox(clock.now())
    await jobs.deliver_due(clock.now())
    pending = await client.get(
        f"{API}/webhooks/{hook['id']}/deliveries?status=pending", headers=staff.headers
    )
    assert len(pending.json()["items"]) == 1
    page = await client.get(
        f"{API}/webhooks/{hook['id']}/deliveries?limit=2&include_total=true", headers=staff.headers
    )
    assert page.json()["total"] == 3 and len(page.json()["items"]) == 2
    rest = await client.get(
        f"{API}/webhooks/{hook['id']}/deliveries?limit=2&cursor={page.json()['next_cursor']}",
        headers=staff.headers,
    )
    assert len(rest.json()["items"]) == 1
    bad = await client.get(
        f"{API}/webhooks/{hook['id']}/deliveries?status=lost", headers=staff.headers
    )
    assert bad.status_code == 422


async def test_two_workers_deliver_every_event_once(client, receiver):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    await create_webhook(client, staff.headers, receiver.url, ["mentee.updated"])
    async with unit_of_work(write=True) as db:
        for _ in range(120):
            await publish(
                db,
                DomainEvent(
                    type="mentee.updated", hub_id=hub.id, subject={"mentee_id": uuid.uuid4()}
                ),
            )

    async def worker() -> int:
        done = 0
        for _ in range(50):
            now = clock.now()
            work = await jobs.dispatch_outbox(now) + await jobs.deliver_due(now)
            done += work
            if not work:
                break
        return done

    await asyncio.gather(worker(), worker())
    ids = receiver.ids()
    assert len(ids) == 120
    assert len(set(ids)) == 120


async def test_session_content_never_travels_and_match_steps_are_told(client, receiver):
    from tests.sessions.common import make_pair, scheduled

    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    await create_webhook(
        client,
        coord.headers,
        receiver.url,
        ["session.scheduled", "match.proposed", "match.accepted", "match.activated"],
    )
    pair = await make_pair(client, hub, coord)
    agenda = "Ordre du jour confidentiel : le conflit avec la trésorière"
    session = await scheduled(
        client, pair.mentor_user, pair.id, clock.now() + timedelta(days=10), agenda=agenda
    )
    await deliver_all()
    payloads = [json.loads(r.body) for r in receiver.requests]
    assert sorted(p["type"] for p in payloads) == sorted(
        ["match.proposed", "match.accepted", "match.activated", "session.scheduled"]
    )
    told = next(p for p in payloads if p["type"] == "session.scheduled")
    assert told["data"]["session_id"] == session["id"]
    assert told["data"]["match_id"] == pair.id
    for got in receiver.requests:
        assert "confidentiel" not in got.body.decode() and "trésorière" not in got.body.decode()


async def test_a_worker_stopped_by_sigterm_finishes_the_delivery_it_holds(
    client, receiver, migrated, tmp_path
):
    import os
    import signal
    import sys

    _hub, staff, hook = await _hub_with_hook(client, receiver)
    receiver.answer(200, delay=1.5)
    await _new_mentee(client, staff.headers)
    env = {**os.environ, "MENTORAT_DATABASE_URL": migrated, "MENTORAT_MAIL_DIR": str(tmp_path)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.cli",
        "worker",
        "--interval",
        "0.2",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        assert b"running" in await asyncio.wait_for(process.stdout.readline(), 30)
        for _ in range(300):  # the receiver holds the request for 1.5 s
            if receiver.requests:
                break
            await asyncio.sleep(0.05)
        assert receiver.requests, "the worker never posted"
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = await client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=staff.headers)
    [delivery] = log.json()["items"]
    assert delivery["status"] == "succeeded" and delivery["attempts"] == 1
    assert len(receiver.requests) == 1
