"""The app's CPU per list request, in process, against the bare app's (issue 13).

    .venv/bin/python bench/list_cpu.py DATABASE_URL SEED_FILE [--requests 2000] [--rounds 3]

DATABASE_URL holds what bench/seed_people.py wrote (SEED_FILE is its output: logins and
password). The real app and the bare app of bench/bare_app.py are called directly as ASGI
apps, one request after the other, with no HTTP server and no load generator: the process's
own CPU time per request (user + system, `time.process_time`) is what the figure counts, so
it moves far less with other work on a shared machine than requests/s under wrk do. Prints,
per scenario, the best of `--rounds` rounds in ms of CPU per request and its ratio to the
bare app's (the ratio wrk measures, less uvicorn's own share, which both apps pay alike).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SCENARIOS = {
    "list region=06&theme=governance": "/api/v1/mentors?limit=50&region=06&theme=governance",
    "list q=tremblay": "/api/v1/mentors?limit=50&q=tremblay",
}
ASGIApp = Any


async def _call(app: ASGIApp, target: str, headers: list[tuple[bytes, bytes]]) -> int:
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _cpu_per_request(
    app: ASGIApp, target: str, headers: list[tuple[bytes, bytes]], requests: int, rounds: int
) -> float:
    for _ in range(200):  # warm-up: statement caches, prepared statements, the pool
        status = await _call(app, target, headers)
        if status != 200:
            raise SystemExit(f"{target} answered {status}")
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(requests):
            await _call(app, target, headers)
        best = min(best, (time.process_time() - started) / requests)
    return best * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("seed_file", type=Path)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    seed = json.loads(args.seed_file.read_text())
    os.environ["MENTORAT_DATABASE_URL"] = args.database_url
    for bucket in ("CLIENT", "USER", "TOKEN", "PUBLIC"):
        os.environ[f"MENTORAT_RATE_LIMIT_{bucket}"] = "1000000/second"

    import httpx

    from app.main import create_app

    app = create_app()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        async with app.router.lifespan_context(app):
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b")
            login = {"username": seed["logins"]["coordinator"], "password": seed["password"]}
            token = (await client.post("/api/v1/auth/token", data=login)).json()["access_token"]
            auth = [(b"authorization", f"Bearer {token}".encode())]
            first = SCENARIOS["list region=06&theme=governance"]
            page = await client.get(first, headers=dict(auth))
            page_file = Path(folder) / "page.json"
            page_file.write_bytes(page.content)
            for name, target in SCENARIOS.items():
                results[name] = await _cpu_per_request(
                    app, target, auth, args.requests, args.rounds
                )
        # The bare app serves the page the real one answered, as bench/run.sh has it do.
        os.environ["BENCH_PAGE_FILE"] = str(page_file)
        from bench.bare_app import app as bare

        results["bare FastAPI, 50 mentors as objects"] = await _cpu_per_request(
            bare, "/bare", [], args.requests, args.rounds
        )
    bare_ms = results["bare FastAPI, 50 mentors as objects"]
    print("| scenario | CPU ms/request | bare ÷ scenario |")
    print("|---|---:|---:|")
    for name, ms in results.items():
        print(f"| {name} | {ms:.3f} | {bare_ms / ms:.3f} |")
    if args.out:
        args.out.write_text(json.dumps({"when": time.time(), "cpu_ms": results}, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
