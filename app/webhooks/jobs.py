"""The webhooks' work for `mentorat worker`: dispatch the outbox, then deliver, signed.

`dispatch_outbox` turns each new outbox event into one delivery per active webhook of its
hub subscribed to its type (webhooks created after the event do not receive it).
`deliver_due` claims due deliveries (FOR UPDATE SKIP LOCKED on PostgreSQL, an immediate
transaction on SQLite), posts them concurrently outside any transaction, and records each
outcome only while it still holds the claim: two workers never deliver one event at the
same time. A receiver that fails is retried with exponential backoff and jitter, with the
same event id, until the retry window (24 hours by default) is over; then the delivery
is `failed`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx

from app.core.config import get_settings
from app.core.db import unit_of_work
from app.outbox import repository as outbox_repo
from app.webhooks import repository as repo
from app.webhooks import urls
from app.webhooks.models import FAILED, PENDING, SUCCEEDED
from app.webhooks.signing import headers as signed_headers

logger = logging.getLogger("mentorat.webhooks")

DISPATCH_BATCH = 500
# What the delivery log keeps of a receiver's answer, and of the attempts.
MAX_RESPONSE_BYTES = 1024
MAX_LOGGED_ATTEMPTS = 30


async def dispatch_outbox(now: datetime) -> int:
    """Queue the deliveries of new outbox events; returns how many events were handled."""
    async with unit_of_work(write=True) as db:
        pending = await outbox_repo.claim_undispatched(db, DISPATCH_BATCH)
        if not pending:
            return 0
        hooks = await repo.subscribed(db, {event.hub_id for event in pending})
        rows: list[dict[str, Any]] = []
        for event in pending:
            for hook in hooks:
                if (
                    hook.hub_id == event.hub_id
                    and event.type in hook.events
                    and hook.created_at <= event.occurred_at
                ):
                    rows.append(
                        {
                            "id": uuid.uuid4(),
                            "webhook_id": hook.id,
                            "event_id": event.id,
                            "hub_id": event.hub_id,
                            "event_type": event.type,
                            "status": PENDING,
                            "attempts": 0,
                            "next_attempt_at": now,
                            "attempt_log": [],
                            "created_at": now,
                        }
                    )
        await repo.add_deliveries(db, rows)
        await outbox_repo.mark_dispatched(db, [event.id for event in pending], now)
    return len(pending)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: doubling from the base, capped at 4 hours, with ±25% jitter."""
    base = get_settings().webhook_retry_base_seconds
    delay = min(base * 2 ** max(0, attempts - 1), 4 * 3600.0)
    return timedelta(seconds=delay * random.uniform(0.75, 1.25))  # noqa: S311 - jitter, not a secret


def body_of(payload: dict[str, Any]) -> bytes:
    """The bytes every attempt sends (and signs): compact JSON, keys in the stored order."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


class Outcome:
    """What one attempt produced."""

    __slots__ = ("duration_ms", "error", "response_body", "status_code")

    def __init__(
        self,
        *,
        status_code: int | None = None,
        duration_ms: int | None = None,
        error: str | None = None,
        response_body: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.duration_ms = duration_ms
        self.error = error
        self.response_body = response_body

    @property
    def ok(self) -> bool:
        return self.error is None


def _error_class(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, httpx.ConnectError):
        return "connection_error"
    if isinstance(exc, httpx.TransportError):
        return "transport_error"
    return type(exc).__name__


async def _request(
    client: httpx.AsyncClient, url: str, body: bytes, head: dict[str, str]
) -> tuple[int, bytes]:
    """POST to the receiver; its status and at most 1 KiB of its answer (never more is read).

    Unless private addresses are allowed, the connection goes to an address checked just
    now (the TLS name and `Host` stay the URL's), so a DNS change between the check and the
    connection cannot point the delivery into the service's own network.
    """
    if urls.allow_private():
        request = client.build_request("POST", url, content=body, headers=head)
    else:
        target = urls.parse(url)
        address = await urls.public_address(target)
        host = f"[{address}]" if address.version == 6 else str(address)
        pinned = httpx.URL(url).copy_with(host=host)
        default_port = 443 if target.scheme == "https" else 80
        host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
        request = client.build_request(
            "POST",
            pinned,
            content=body,
            headers={**head, "host": host_header},
            extensions={"sni_hostname": target.host},
        )
    response = await client.send(request, stream=True)
    try:
        kept = b""
        async for chunk in response.aiter_bytes():
            kept += chunk
            if len(kept) >= MAX_RESPONSE_BYTES:
                break
        return response.status_code, kept[:MAX_RESPONSE_BYTES]
    finally:
        await response.aclose()


async def attempt(
    client: httpx.AsyncClient, url: str, secret: str, event_id: str, body: bytes
) -> Outcome:
    """One signed POST; never raises, never follows a redirect, keeps 1 KiB of the answer.

    The whole attempt (resolution, connection, answer) is bounded by the timeout, not only
    each read: a receiver answering one byte at a time cannot hold a worker.
    """
    started = time.perf_counter()
    head = signed_headers(secret, event_id, int(time.time()), body)
    limit = get_settings().webhook_timeout_seconds
    try:
        code, answer = await asyncio.wait_for(_request(client, url, body, head), limit)
    except urls.UnsafeUrl as exc:
        return Outcome(error="blocked_address" if exc.reason == "private_address" else exc.reason)
    except TimeoutError:
        return Outcome(duration_ms=round((time.perf_counter() - started) * 1000), error="timeout")
    except httpx.HTTPError as exc:
        elapsed = round((time.perf_counter() - started) * 1000)
        return Outcome(duration_ms=elapsed, error=_error_class(exc))
    elapsed = round((time.perf_counter() - started) * 1000)
    text = answer.decode("utf-8", errors="replace")
    error = None
    if 300 <= code < 400:
        error = "redirect"
    elif not 200 <= code < 300:
        error = "http_status"
    return Outcome(status_code=code, duration_ms=elapsed, error=error, response_body=text)


def _record(
    outcome: Outcome,
    *,
    attempts: int,
    created_at: datetime,
    log: list[dict[str, Any]],
    now: datetime,
) -> dict[str, Any]:
    """The delivery's new state after an attempt."""
    entry = {
        "at": now.isoformat(),
        "status_code": outcome.status_code,
        "duration_ms": outcome.duration_ms,
        "error": outcome.error,
    }
    values: dict[str, Any] = {
        "attempts": attempts,
        "status_code": outcome.status_code,
        "duration_ms": outcome.duration_ms,
        "error": outcome.error,
        "response_body": outcome.response_body,
        "attempt_log": [*log, entry][-MAX_LOGGED_ATTEMPTS:],
    }
    if outcome.ok:
        values.update(status=SUCCEEDED, delivered_at=now, next_attempt_at=None)
        return values
    window = timedelta(seconds=get_settings().webhook_retry_window_seconds)
    retry_at = now + backoff(attempts)
    if retry_at > created_at + window:
        values.update(status=FAILED, next_attempt_at=None, delivered_at=None)
    else:
        values.update(status=PENDING, next_attempt_at=retry_at, delivered_at=None)
    return values


async def deliver_due(now: datetime, *, client: httpx.AsyncClient | None = None) -> int:
    """Deliver one batch of due deliveries; returns how many attempts were made."""
    settings = get_settings()
    # Longer than one attempt can last: a live worker never loses its claim.
    lease_until = now + timedelta(seconds=settings.webhook_timeout_seconds * 3 + 60)
    async with unit_of_work(write=True) as db:
        ids = await repo.claim_due(db, now, lease_until, settings.webhook_batch)
        rows = await repo.claimed(db, ids) if ids else []
    if not rows:
        return 0
    own_client = client is None
    http = client or new_client()
    limit = asyncio.Semaphore(settings.webhook_concurrency)

    async def one(row: tuple[Any, ...]) -> tuple[uuid.UUID, datetime, dict[str, Any]]:
        delivery_id, attempts, created_at, log, url, secret, event_id, payload = row
        async with limit:
            outcome = await attempt(http, url, secret, str(event_id), body_of(payload))
        values = _record(
            outcome, attempts=attempts + 1, created_at=created_at, log=list(log or []), now=now
        )
        return delivery_id, lease_until, values

    try:
        outcomes = await asyncio.gather(*(one(row) for row in rows))
    finally:
        if own_client:
            await http.aclose()
    async with unit_of_work(write=True) as db:
        await repo.finish(db, outcomes)
    failed = sum(1 for _, _, values in outcomes if values["status"] != SUCCEEDED)
    logger.info("webhook deliveries", extra={"count": len(outcomes), "not_delivered": failed})
    return len(outcomes)


def new_client() -> httpx.AsyncClient:
    """The HTTP client of deliveries: a timeout, no redirects, no proxies from the environment."""
    timeout = get_settings().webhook_timeout_seconds
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False)


JOBS: list[Callable[[datetime], Awaitable[int]]] = [dispatch_outbox, deliver_due]
