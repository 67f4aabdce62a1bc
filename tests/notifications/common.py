"""Shared set-ups of the notification tests: a real SMTP server, a frozen clock, a pair."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from app.core import clock
from app.core.config import get_settings
from app.hubs.models import Hub
from app.mentees.models import Mentee
from app.mentors.models import Mentor
from app.notifications.jobs import run_all
from tests.factories import Caller, login_as, make_hub
from tests.matches.helpers import make_mentee, make_mentor, participant

API = "/api/v1"
# A Monday of June (UTC-4 in Montréal).
NOW = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)


@dataclass
class Mailbox:
    """What the SMTP server received; it can refuse the next messages on demand."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse_next: int = 0
    refusal: str = "451 4.3.0 Try again later"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_next > 0:
            self.refuse_next -= 1
            return self.refusal
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages received for one address."""
        return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        """Forget what was received."""
        self.messages.clear()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1, and the app configured to use it."""
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("MENTORAT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MENTORAT_SMTP_PORT", str(port))
    monkeypatch.setenv("MENTORAT_SMTP_STARTTLS", "false")
    monkeypatch.setenv("MENTORAT_SMTP_SENDER", "Mentorat <mentorat@example.org>")
    monkeypatch.setenv("MENTORAT_FRONTEND_BASE_URL", "https://portail.example.org")
    get_settings.cache_clear()
    try:
        yield mailbox
    finally:
        controller.stop()
        monkeypatch.undo()
        get_settings.cache_clear()


def freeze(monkeypatch: pytest.MonkeyPatch, moment: datetime = NOW) -> None:
    """Make the service's clock answer `moment`."""
    monkeypatch.setattr(clock, "now", lambda: moment)


async def work(moment: datetime = NOW) -> dict[str, int]:
    """One run of every notification job, as the worker does it."""
    return await run_all(moment)


def text_of(message: EmailMessage) -> str:
    """The plain-text body."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    """The HTML body."""
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def attachments(message: EmailMessage) -> list[EmailMessage]:
    """The attached files."""
    return list(message.iter_attachments())  # type: ignore[arg-type]


def token_in(message: EmailMessage) -> str:
    """The token of the link in a message."""
    found = re.search(r"token=([A-Za-z0-9_\-]+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


@dataclass
class People:
    """A hub with a coordinator, a mentor (French) and a mentee (English), with accounts."""

    hub: Hub
    coord: Caller
    mentor: Mentor
    mentee: Mentee
    mentor_user: Caller
    mentee_user: Caller


async def people(client: httpx.AsyncClient, hub: Hub | None = None) -> People:
    """Profiles with accounts, before any match."""
    hub = hub or await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub, first_name="Marie", last_name="Tremblay")
    mentee = await make_mentee(hub, first_name="Luc", last_name="Gagnon")
    mentor_user = await participant(client, "mentor", hub, mentor.id)
    mentee_user = await login_as(client, "mentee", hub, profile_id=mentee.id, locale="en")
    return People(hub, coord, mentor, mentee, mentor_user, mentee_user)


async def propose(client: httpx.AsyncClient, p: People) -> str:
    """Propose the pair's match; returns its id."""
    r = await client.post(
        f"{API}/matches",
        json={"mentor_id": str(p.mentor.id), "mentee_id": str(p.mentee.id)},
        headers=p.coord.headers,
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def active_match(client: httpx.AsyncClient, p: People, starts_on: str = "2026-06-01") -> str:
    """Propose, accept (mentor then mentee, each for themselves) and activate."""
    match_id = await propose(client, p)
    for who in (p.mentor_user, p.mentee_user):
        r = await client.post(f"{API}/matches/{match_id}/accept", headers=who.headers)
        assert r.status_code == 200, r.text
    r = await client.post(
        f"{API}/matches/{match_id}/activate",
        json={"agreement_signed_on": starts_on, "starts_on": starts_on},
        headers=p.coord.headers,
    )
    assert r.status_code == 200, r.text
    return match_id


def new_email() -> str:
    """A unique address."""
    return f"person-{uuid.uuid4().hex[:8]}@example.org"
