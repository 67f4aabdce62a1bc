"""`mentorat worker`: rounds of jobs, a failing job never stops the others, SIGTERM ends it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

from app import worker


async def test_a_failing_job_does_not_stop_the_others_and_stop_ends_the_loop():
    stop = asyncio.Event()
    seen: list[str] = []

    async def broken(_now):
        seen.append("broken")
        raise RuntimeError("boom")

    async def counting(_now):
        seen.append("counting")
        if seen.count("counting") >= 3:
            stop.set()
        return 1  # busy: the next round starts at once

    await asyncio.wait_for(worker.run(stop, interval=60, job_list=[broken, counting]), timeout=10)
    assert seen.count("counting") == 3
    assert seen.count("broken") == 3


def test_the_worker_process_stops_cleanly_on_sigterm(migrated, tmp_path):
    env = {**os.environ, "MENTORAT_DATABASE_URL": migrated, "MENTORAT_MAIL_DIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed once the signal handlers are in place
        assert b"running" in line, process.stderr.read() if process.stderr else b""
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
