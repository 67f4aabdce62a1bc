"""bench/results/summary.json: one number per key, each from this `make bench` run.

Reads what the benchmarks of the run wrote to bench/results/ (people_list.json,
matching_api.json, webhooks.json, reports.json when present) and adds the machine and the
commit. A figure whose benchmark did not run in this run is null, never a stale value:
files older than the run's start (`--since`, a Unix time) are ignored.

    python bench/summary.py --since 1796572800 [--pg postgresql://postgres@127.0.0.1:5432]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def _load(name: str, since: float) -> dict[str, Any]:
    path = RESULTS / name
    if not path.exists() or path.stat().st_mtime < since:
        return {}
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _pg_version(pg: str) -> str | None:
    try:
        done = subprocess.run(
            ["psql", f"{pg}/postgres", "-tAc", "SHOW server_version"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def _commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def summary(since: float, pg: str, quick: bool) -> dict[str, Any]:
    people = _load("people_list.json", since)
    matching = _load("matching_api.json", since)
    webhooks = _load("webhooks.json", since)
    reports = _load("reports.json", since)
    run_s = (matching.get("run") or {}).get("median_s")
    apply_s = (matching.get("apply") or {}).get("seconds")
    return {
        "list_vs_bare": people.get("list_vs_bare"),
        "search_vs_bare": people.get("search_vs_bare"),
        "deep_vs_first": people.get("deep_vs_first"),
        "suggestions_p50_ms": (matching.get("suggestions") or {}).get("p50_ms"),
        "matching_run_s": run_s,
        "apply_s": apply_s,
        "apply_vs_run": round(apply_s / run_s, 3) if run_s and apply_s else None,
        "summary_hub_year_ms": reports.get("summary_hub_year_ms"),
        "summary_all_ms": reports.get("summary_all_ms"),
        "summary_all_vs_scan": reports.get("all_vs_scan"),
        "outbox_write_ratio": webhooks.get("outbox_write_ratio"),
        "delivery_vs_bare": webhooks.get("delivery_vs_bare"),
        "quick": quick,
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": _pg_version(pg),
        },
        "commit": _commit(),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--since", type=float, required=True, help="the run's start (Unix time)")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--quick", action="store_true")
    parsed = parser.parse_args()
    result = summary(parsed.since, parsed.pg, parsed.quick)
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2)
    (RESULTS / "summary.json").write_text(text + "\n")
    print(text)
