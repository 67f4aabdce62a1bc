"""Prometheus metrics: requests, database pool, logins; true across several worker processes.

With `PROMETHEUS_MULTIPROC_DIR` set (as `mentorat serve --workers N` does), every process
writes its samples to files in that folder and `/metrics`, whichever worker answers, adds
them all up (prometheus-client's multiprocess mode). Without it, one process's registry.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.types import Scope

from app.core.logs import route_template

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "mentorat_http_requests_total",
    "HTTP requests by method, route template and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "mentorat_http_request_duration_seconds",
    "HTTP request duration by method and route template.",
    ["method", "route"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
LOGIN_FAILURES = Counter(
    "mentorat_login_failures_total",
    "Failed password logins (unknown email, wrong password or inactive account).",
    registry=REGISTRY,
)
LOCKOUTS = Counter(
    "mentorat_login_lockouts_total",
    "Emails locked out after too many failed logins.",
    registry=REGISTRY,
)
DB_POOL_SIZE = Gauge(
    "mentorat_db_pool_size",
    "Database connections kept open by the pool (summed over live processes).",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
DB_POOL_CHECKED_OUT = Gauge(
    "mentorat_db_pool_checked_out",
    "Database connections in use (summed over live processes).",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
DB_POOL_OVERFLOW = Gauge(
    "mentorat_db_pool_overflow",
    "Connections open beyond the pool size (summed over live processes).",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)

# Other packages add their own gauges here (e.g. the outbox backlog and oldest event age):
# each callable is run just before a scrape is rendered. The lead wires the outbox's in.
_before_scrape: list[Callable[[], None]] = []


def on_scrape(update: Callable[[], None]) -> None:
    """Run `update` (which sets gauges) before each /metrics answer."""
    if update not in _before_scrape:
        _before_scrape.append(update)


# Gauges read from the database (the outbox backlog): awaited by /metrics before rendering.
_before_scrape_async: list[Callable[[], Awaitable[None]]] = []


def on_scrape_async(update: Callable[[], Awaitable[None]]) -> None:
    """Await `update` (which sets gauges, e.g. from a query) before each /metrics answer."""
    if update not in _before_scrape_async:
        _before_scrape_async.append(update)


async def refresh() -> None:
    """Run the asynchronous gauge updates; one that fails leaves its gauges as they were."""
    for update in _before_scrape_async:
        try:
            await update()
        except Exception as exc:  # a scrape must answer even when the database does not
            logging.getLogger("mentorat.metrics").warning(
                "metrics update failed (%s)", type(exc).__name__
            )


def _pool_stats() -> None:
    from app.core.db import get_engine

    pool = get_engine().sync_engine.pool
    size = getattr(pool, "size", None)
    if callable(size):  # a QueuePool (PostgreSQL); SQLite's pool keeps no count
        DB_POOL_SIZE.set(size())
        DB_POOL_CHECKED_OUT.set(pool.checkedout())  # type: ignore[attr-defined]
        DB_POOL_OVERFLOW.set(max(0, pool.overflow()))  # type: ignore[attr-defined]


def record_request(scope: Scope, status: int, seconds: float, _notes: dict[str, Any]) -> None:
    """Count and time an answered request under its route template, never its ids (an observer
    of ObserveMiddleware)."""
    template = route_template(scope)
    method = scope.get("method", "?")
    REQUESTS.labels(method, template, str(status)).inc()
    LATENCY.labels(method, template).observe(seconds)
    # Each process reports its own pool after each request, so that the sum over processes
    # is current whichever worker answers the scrape.
    _pool_stats()


def render() -> tuple[bytes, str]:
    """The metrics in Prometheus text format (all processes' in multiprocess mode)."""
    for update in _before_scrape:
        update()
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def process_exited(pid: int) -> None:
    """Forget a dead worker's live gauges (multiprocess mode)."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
