"""GET /metrics after traffic, and its sums across worker processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from app.core.config import get_settings

ROOT = Path(__file__).resolve().parents[2]


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """(sample name, sorted labels) -> value of a Prometheus text answer."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def scrape(client: httpx.AsyncClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = await client.get("/metrics")
    assert r.status_code == 200
    return samples(r.text)


async def test_metrics_count_requests_and_login_failures(
    client: httpx.AsyncClient, is_postgres: bool
) -> None:
    before = await scrape(client)
    await client.get("/api/v1/reference")
    await client.get("/api/v1/reference")
    for _ in range(2):
        r = await client.post(
            "/api/v1/auth/token", data={"username": "nobody@example.org", "password": "wrong"}
        )
        assert r.status_code == 401
    after = await scrape(client)
    key = (
        "mentorat_http_requests_total",
        (("method", "GET"), ("route", "/api/v1/reference"), ("status", "200")),
    )
    assert after[key] - before.get(key, 0) == 2
    failures = ("mentorat_login_failures_total", ())
    assert after[failures] - before.get(failures, 0) == 2
    assert ("mentorat_login_lockouts_total", ()) in after
    if is_postgres:  # SQLite's pool keeps no count
        assert after[("mentorat_db_pool_size", ())] == get_settings().database_pool_size
        assert after[("mentorat_db_pool_checked_out", ())] >= 0


def test_metrics_add_up_across_worker_processes(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = (
        "from app.core import metrics; "
        "metrics.REQUESTS.labels('GET', '/api/v1/reference', '200').inc(); "
        "metrics.LOGIN_FAILURES.inc()"
    )
    for _ in range(2):  # two workers, each its own process
        subprocess.run([sys.executable, "-c", count], env=env, cwd=ROOT, check=True, timeout=60)
    render = "from app.core import metrics; print(metrics.render()[0].decode())"
    out = subprocess.run(
        [sys.executable, "-c", render],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    values = samples(out)
    key = (
        "mentorat_http_requests_total",
        (("method", "GET"), ("route", "/api/v1/reference"), ("status", "200")),
    )
    assert values[key] == 2
    assert values[("mentorat_login_failures_total", ())] == 2
