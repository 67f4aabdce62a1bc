"""Encryption at rest of confidential text (session content): Fernet, with key rotation.

MENTORAT_DATA_KEY holds one or more comma-separated Fernet keys: the first encrypts,
all decrypt, so keys rotate without downtime (`mentorat rotate-data-key`). Without it
(development only) a key is derived from the JWT secret; production refuses to start.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.engine import Dialect

from app.core.config import get_settings


class DataKeyError(ValueError):
    """MENTORAT_DATA_KEY is malformed."""


def _keys() -> list[Fernet]:
    settings = get_settings()
    raw = settings.data_key.get_secret_value() if settings.data_key else ""
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not parts:
        # Development fallback: stable for one JWT secret, never used in production.
        seed = hashlib.sha256(
            b"mentorat-data-key:" + settings.jwt_secret.get_secret_value().encode()
        )
        parts = [base64.urlsafe_b64encode(seed.digest()).decode()]
    try:
        return [Fernet(part) for part in parts]
    except (ValueError, TypeError) as exc:
        raise DataKeyError("MENTORAT_DATA_KEY must hold Fernet keys, comma-separated") from exc


@lru_cache
def cipher() -> MultiFernet:
    """The configured keys: encrypt with the first, decrypt with any."""
    return MultiFernet(_keys())


def encrypt(text: str) -> str:
    """Authenticated encryption of a text."""
    return cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The text behind a token; raises when no configured key opens it."""
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DataKeyError("no configured data key decrypts this value") from None


def rotate(token: str) -> str:
    """The same text encrypted with the first key."""
    return cipher().rotate(token.encode()).decode()


class EncryptedText(sa.TypeDecorator[str]):
    """Text stored encrypted; the application sees plain text, the database never does."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(str(value))


def encrypted_columns(metadata: sa.MetaData) -> list[tuple[str, str]]:
    """Every (table, column) of the metadata stored as `EncryptedText` (for key rotation)."""
    return [
        (table.name, column.name)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText)
    ]
