"""Cursors are signed with their own rotatable key, not the JWT secret."""

from __future__ import annotations

import uuid

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from app.core.config import Settings, get_settings
from app.core.errors import ValidationFailed
from app.core.pagination import decode_cursor, encode_cursor

OLD, NEW = "o" * 32, "n" * 32


@pytest.fixture
def env(monkeypatch):
    """Set MENTORAT_ settings for one test; the settings cache is cleared before and after."""

    def apply(**values: str | None) -> None:
        for name, value in values.items():
            if value is None:
                monkeypatch.delenv(f"MENTORAT_{name.upper()}", raising=False)
            else:
                monkeypatch.setenv(f"MENTORAT_{name.upper()}", value)
        get_settings.cache_clear()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()


def _cursor() -> tuple[str, uuid.UUID]:
    row = uuid.uuid4()
    return encode_cursor("created_at", False, "2026-12-06", row), row


def test_rotating_the_jwt_secret_keeps_cursors_valid(env):
    env(data_key=Fernet.generate_key().decode(), cursor_key=None, jwt_secret="a" * 40)
    cursor, row = _cursor()
    env(jwt_secret="b" * 40)
    assert decode_cursor(cursor, "created_at", False) == ("2026-12-06", row)


def test_a_cursor_key_rotates_old_cursors_verify_until_the_old_key_is_removed(env):
    env(cursor_key=OLD)
    cursor, row = _cursor()
    env(cursor_key=f"{NEW},{OLD}")
    assert decode_cursor(cursor, "created_at", False)[1] == row
    fresh, _ = _cursor()
    env(cursor_key=NEW)
    assert decode_cursor(fresh, "created_at", False)[1] is not None
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, "created_at", False)


def test_a_short_cursor_key_is_refused(env):
    env(cursor_key="short")
    with pytest.raises(ValidationError, match="MENTORAT_CURSOR_KEY"):
        Settings()
