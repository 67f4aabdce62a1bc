"""The people list under load: the real app against a bare FastAPI app, in the same run.

`prepare` logs in, checks the answers and writes the state `run` needs (tokens, the page the
bare app serves, a deep cursor); `run` drives each scenario with wrk (bounded by `--duration`)
and prints requests/s, p50/p99 latency and the app's CPU per request. bench/run.sh calls both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.pagination import encode_cursor

LIST = "/api/v1/mentors"
FILTERED = f"{LIST}?limit=50&region=06&theme=governance"
SEARCH = f"{LIST}?limit=50&q=tremblay"
FIRST = f"{LIST}?limit=50"


def _login(client: httpx.Client, email: str, password: str) -> str:
    response = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    response.raise_for_status()
    return str(response.json()["access_token"])


def prepare(real: str, seed_file: Path, state_file: Path, page_file: Path) -> None:
    """Log in, check the pages the scenarios read, write the bare app's page and the state."""
    seed = json.loads(seed_file.read_text())
    with httpx.Client(base_url=real, timeout=30) as client:
        admin = _login(client, seed["logins"]["admin"], seed["password"])
        coordinator = _login(client, seed["logins"]["coordinator"], seed["password"])
        auth = {"Authorization": f"Bearer {coordinator}"}
        page = client.get(FILTERED, headers=auth)
        page.raise_for_status()
        items = page.json()["items"]
        assert len(items) == 50, len(items)
        assert all("06" in i["regions_served"] and "governance" in i["expertise"] for i in items)
        page_file.write_bytes(page.content)
        found = client.get(SEARCH, headers=auth).json()["items"]
        assert found and all(i["last_name"] == "Tremblay" for i in found), found[:1]
        deep = seed["deep_row"]
        cursor = encode_cursor(
            "created_at", False, datetime.fromisoformat(deep["created_at"]), uuid.UUID(deep["id"])
        )
        deep_url = f"{FIRST}&cursor={cursor}"
        deep_page = client.get(deep_url, headers={"Authorization": f"Bearer {admin}"})
        deep_page.raise_for_status()
        assert len(deep_page.json()["items"]) == 50
        assert deep_page.json()["items"][0]["created_at"] >= deep["created_at"]
    state = {"admin": admin, "coordinator": coordinator, "deep_url": deep_url}
    state_file.write_text(json.dumps(state))


_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, token: str | None, args: argparse.Namespace, pid: int | None) -> dict[str, Any]:
    """One bounded wrk run (after a short warm-up): rps, p50, p99, app CPU per request."""
    base = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "--latency"]
    if token:
        base += ["-H", f"Authorization: Bearer {token}"]
    subprocess.run([*base, "-d", "2s", url], check=True, capture_output=True, timeout=60)
    cpu_before = _cpu_seconds(pid) if pid else 0.0
    done = subprocess.run(
        [*base, "-d", f"{args.duration}s", "--timeout", "5s", url],
        check=True,
        capture_output=True,
        text=True,
        timeout=args.duration + 60,
    )
    cpu = (_cpu_seconds(pid) - cpu_before) if pid else 0.0
    out = done.stdout
    if "Non-2xx" in out:
        raise SystemExit(f"non-2xx answers from {url}:\n{out}")
    rps_match = _RPS.search(out)
    assert rps_match, out
    latency = {p: float(v) * _UNIT_MS[u] for p, v, u in _LATENCY.findall(out)}
    rps = float(rps_match.group(1))
    return {
        "rps": rps,
        "p50_ms": latency["50"],
        "p99_ms": latency["99"],
        "app_cpu_ms": round(1000 * cpu / (rps * args.duration), 3) if pid else None,
    }


def run(args: argparse.Namespace) -> None:
    """Every scenario in turn; prints the table and writes the figures as JSON."""
    state = json.loads(Path(args.state).read_text())
    real, bare = args.real, args.bare
    scenarios = [
        ("bare FastAPI, 50 mentors as objects", f"{bare}/bare", None, args.bare_pid),
        ("bare FastAPI, 50 mentors as bytes", f"{bare}/bare-bytes", None, args.bare_pid),
        ("list region=06&theme=governance", f"{real}{FILTERED}", "coordinator", args.real_pid),
        ("list q=tremblay", f"{real}{SEARCH}", "coordinator", args.real_pid),
        ("list first page (admin, 100k)", f"{real}{FIRST}", "admin", args.real_pid),
        ("list page at row 90,000 (admin)", f"{real}{state['deep_url']}", "admin", args.real_pid),
    ]
    results = []
    for name, url, who, pid in scenarios:
        figures = wrk(url, state[who] if who else None, args, pid)
        results.append({"scenario": name, **figures})
        print(f"  {name}: {figures['rps']:.0f} req/s", file=sys.stderr)
    bare_rps = results[0]["rps"]
    print(
        f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s on 127.0.0.1; "
        f"one uvicorn worker each; {os.cpu_count()} CPUs; {platform.python_version()}; "
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}\n"
    )
    print("| scenario | req/s | p50 ms | p99 ms | app CPU ms/req | vs bare (objects) |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in results:
        cpu = f"{row['app_cpu_ms']:.2f}" if row["app_cpu_ms"] is not None else "—"
        ratio = f"{100 * row['rps'] / bare_rps:.0f}%"
        print(
            f"| {row['scenario']} | {row['rps']:.0f} | {row['p50_ms']:.2f} | "
            f"{row['p99_ms']:.2f} | {cpu} | {ratio} |"
        )
    by_name = {row["scenario"]: row for row in results}
    filtered = by_name["list region=06&theme=governance"]["rps"]
    first = by_name["list first page (admin, 100k)"]
    deep = by_name["list page at row 90,000 (admin)"]
    print(
        f"\nratio real/bare: {filtered / bare_rps:.1%} of the bare endpoint (objects), "
        f"{filtered / results[1]['rps']:.1%} of the bare endpoint (bytes)"
    )
    print(
        f"deep page / first page: {deep['rps'] / first['rps']:.2f}x the requests/s, "
        f"p50 {deep['p50_ms']:.2f} vs {first['p50_ms']:.2f} ms"
    )
    search = by_name["list q=tremblay"]["rps"]
    ratios = {
        "list_vs_bare": round(filtered / bare_rps, 4),
        "search_vs_bare": round(search / bare_rps, 4),
        "deep_vs_first": round(deep["rps"] / first["rps"], 4),
    }
    Path(args.out).write_text(
        json.dumps({"when": time.time(), "results": results, **ratios}, indent=2)
    )


def main() -> None:
    """prepare | run."""
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--real", required=True)
    p.add_argument("--seed-file", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--page-file", required=True)
    r = sub.add_parser("run")
    r.add_argument("--real", required=True)
    r.add_argument("--bare", required=True)
    r.add_argument("--state", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--real-pid", type=int)
    r.add_argument("--bare-pid", type=int)
    r.add_argument("--duration", type=int, default=10)
    r.add_argument("--connections", type=int, default=10)
    r.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.real, Path(args.seed_file), Path(args.state), Path(args.page_file))
    else:
        run(args)


if __name__ == "__main__":
    main()
