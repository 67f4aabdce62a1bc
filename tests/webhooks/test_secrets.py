"""The signing secret: encrypted at rest, rotated with the data key, still signing after."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from app.core import crypto, envelope
from app.core.config import get_settings
from app.core.db import get_engine
from app.sessions.rotation import rotate_data_key
from tests.factories import login_as, make_hub
from tests.people.common import mentee_body
from tests.webhooks.common import API, create_webhook, deliver_all, python_verifier


def _use_key(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("MENTORAT_DATA_KEY", value)
    get_settings.cache_clear()
    crypto.cipher.cache_clear()
    envelope.key_cache().clear()


async def _stored_secret() -> str:
    async with get_engine().connect() as conn:
        return str((await conn.execute(sa.text("SELECT secret FROM webhook"))).scalar_one())


async def test_the_secret_is_encrypted_and_rotates_with_the_data_key(client, receiver, monkeypatch):
    key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    try:
        _use_key(monkeypatch, key_a)
        hub = await make_hub()
        staff = await login_as(client, "coordinator", hub)
        hook = await create_webhook(client, staff.headers, receiver.url, ["mentee.created"])
        stored = await _stored_secret()
        assert hook["secret"] not in stored
        assert Fernet(key_a.encode()).decrypt(stored.encode()).decode() == hook["secret"]

        _use_key(monkeypatch, f"{key_b},{key_a}")
        assert await rotate_data_key() >= 1
        rotated = await _stored_secret()
        assert Fernet(key_b.encode()).decrypt(rotated.encode()).decode() == hook["secret"]

        # Only the new key configured: deliveries are still signed with the same secret.
        _use_key(monkeypatch, key_b)
        created = await client.post(f"{API}/mentees", json=mentee_body(), headers=staff.headers)
        assert created.status_code == 201, created.text
        await deliver_all()
        [got] = receiver.requests
        python_verifier()(hook["secret"], got.headers, got.body)
        assert json.loads(got.body)["type"] == "mentee.created"
    finally:
        monkeypatch.delenv("MENTORAT_DATA_KEY", raising=False)
        get_settings.cache_clear()
        crypto.cipher.cache_clear()
        envelope.key_cache().clear()
