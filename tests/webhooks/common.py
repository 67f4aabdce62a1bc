"""A real HTTP receiver on 127.0.0.1, the docs' verifiers, and set-ups of the webhook tests."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core.config import get_settings
from app.webhooks import jobs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "partners.md"
API = "/api/v1"


@dataclass
class Received:
    """One request the receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next planned response (default 200) and records it."""

    port: int = 0
    requests: list[Received] = field(default_factory=list)
    #: (status, extra headers, body, delay seconds) answered in order, then `default`.
    plan: list[tuple[int, dict[str, str], bytes, float]] = field(default_factory=list)
    default: tuple[int, dict[str, str], bytes, float] = (200, {}, b"ok", 0.0)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def answer(
        self,
        status: int,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        delay: float = 0.0,
    ) -> None:
        self.plan.append((status, headers or {}, body, delay))

    def next_answer(self) -> tuple[int, dict[str, str], bytes, float]:
        with self.lock:
            return self.plan.pop(0) if self.plan else self.default

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.requests]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            with receiver.lock:
                receiver.requests.append(Received(self.path, headers, body))
            status, extra, answer, delay = receiver.next_answer()
            if delay:
                time.sleep(delay)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """A receiver on a free port of 127.0.0.1; private addresses allowed, retries immediate."""
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("MENTORAT_WEBHOOK_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("MENTORAT_WEBHOOK_RETRY_BASE_SECONDS", "0")
    get_settings.cache_clear()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        monkeypatch.undo()
        get_settings.cache_clear()


def code_block(language: str) -> str:
    """The first ```language block of docs/partners.md."""
    found = re.search(rf"```{language}\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert found, f"no {language} block in {DOCS}"
    return found.group(1)


def python_verifier() -> Any:
    """The docs' Python `verify` function, as a partner would copy it."""
    namespace: dict[str, Any] = {}
    exec(compile(code_block("python"), str(DOCS), "exec"), namespace)
    return namespace["verify"]


async def deliver_all(rounds: int = 20) -> int:
    """Dispatch the outbox, then deliver whatever is due, until nothing is left to do."""
    from app.core import clock

    done = 0
    for _ in range(rounds):
        now = clock.now()
        work = await jobs.dispatch_outbox(now) + await jobs.deliver_due(now)
        done += work
        if not work:
            break
    return done


async def create_webhook(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, events: list[str], **extra: Any
) -> dict[str, Any]:
    """A webhook through the API; returns the creation answer (with its secret)."""
    response = await client.post(
        f"{API}/webhooks", json={"url": url, "events": events, **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())
