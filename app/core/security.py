"""Password hashing (Argon2id) and JWT access tokens (HS256, pinned)."""

from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import anyio.to_thread
from jose import JWTError, jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.core.config import Settings, get_settings
from app.core.types import utcnow

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ("exp", "iat", "sub", "aud", "iss", "jti")
MIN_PASSWORD_LENGTH = 12
# How far ahead of our clock a token's `iat` may be (another node's clock may run a little fast).
CLOCK_SKEW_SECONDS = 60
# The last second a datetime can hold: a larger `exp` or `iat` cannot name a real time.
_MAX_TIMESTAMP = int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp())


@lru_cache
def password_hasher() -> PasswordHash:
    """The Argon2id hasher with the configured cost."""
    settings = get_settings()
    return PasswordHash(
        (
            Argon2Hasher(
                memory_cost=settings.argon2_memory_kib,
                time_cost=settings.argon2_time_cost,
                parallelism=settings.argon2_parallelism,
            ),
        )
    )


@lru_cache
def _dummy_hash() -> str:
    # Verified against when the email is unknown, so both failures cost the same.
    return password_hasher().hash(secrets.token_urlsafe(24))


async def hash_password(password: str) -> str:
    """Hash in a worker thread: Argon2 must not block the event loop."""
    return await anyio.to_thread.run_sync(password_hasher().hash, password)


async def verify_password(password: str, stored_hash: str | None) -> tuple[bool, str | None]:
    """Check a password; also return a new hash when the parameters changed."""
    target = stored_hash or _dummy_hash()

    def _verify() -> tuple[bool, str | None]:
        try:
            return password_hasher().verify_and_update(password, target)
        except Exception:  # a malformed stored hash is a failed login, not a crash
            return False, None

    valid, new_hash = await anyio.to_thread.run_sync(_verify)
    if stored_hash is None:
        return False, None
    return valid, new_hash


def new_secret(nbytes: int = 32) -> str:
    """A random URL-safe secret (refresh tokens, client secrets, feed tokens)."""
    return secrets.token_urlsafe(nbytes)


def digest(secret: str) -> str:
    """SHA-256 of a high-entropy secret, as stored in the database."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class AccessClaims:
    """What a valid access token says."""

    subject: str
    kind: str
    session_id: str | None
    jti: str
    issued_at: datetime
    expires_at: datetime

    def current(self, now: datetime) -> bool:
        """Unexpired, and not issued in the future (beyond the allowed clock skew)."""
        return self.expires_at > now and self.issued_at <= now + timedelta(
            seconds=CLOCK_SKEW_SECONDS
        )


def create_access_token(
    subject: str,
    *,
    kind: str,
    session_id: str | None = None,
    settings: Settings | None = None,
) -> tuple[str, int]:
    """A signed access token and its lifetime in seconds."""
    settings = settings or get_settings()
    now = utcnow()
    ttl = settings.access_token_ttl_seconds
    claims: dict[str, Any] = {
        "sub": subject,
        "typ": kind,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl)).timestamp()),
        "aud": settings.jwt_audience,
        "iss": settings.jwt_issuer,
        "jti": uuid.uuid4().hex,
    }
    if session_id is not None:
        claims["sid"] = session_id
    token = jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM)
    return token, ttl


def decode_access_token(token: str, settings: Settings | None = None) -> AccessClaims | None:
    """The claims of a valid token, or None (tampered, expired, wrong audience, …)."""
    claims = _verify(token, settings) if settings is not None else _verify_cached(token)
    # The signature check is cached; the times are checked on every use.
    if claims is None or not claims.current(utcnow()):
        return None
    return claims


@lru_cache(maxsize=4096)
def _verify_cached(token: str) -> AccessClaims | None:
    # A pure function of the token and the process's settings: caching it changes no answer.
    return _verify(token, get_settings())


def _verify(token: str, settings: Settings) -> AccessClaims | None:
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != ALGORITHM:
            return None
        claims = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={
                "require_exp": True,
                "require_iat": True,
                "require_sub": True,
                "require_aud": True,
                "require_iss": True,
                "require_jti": True,
                "verify_exp": True,
                "verify_iat": True,
                "verify_aud": True,
                "verify_iss": True,
            },
        )
    except (JWTError, ValueError, TypeError, KeyError, OverflowError):
        # OverflowError: python-jose turns `exp` into an int, and `Infinity` is valid JSON to it.
        return None
    if any(claim not in claims for claim in REQUIRED_CLAIMS):
        return None
    issued_at, expires_at = _timestamp(claims["iat"]), _timestamp(claims["exp"])
    if issued_at is None or expires_at is None:
        return None
    # No token of ours lives longer than the configured lifetime, whoever signed it.
    if not 0 < expires_at - issued_at <= settings.access_token_ttl_seconds:
        return None
    kind = claims.get("typ")
    if kind not in {"user", "api_client"} or not isinstance(claims["sub"], str):
        return None
    session_id = claims.get("sid")
    return AccessClaims(
        subject=claims["sub"],
        kind=kind,
        session_id=session_id if isinstance(session_id, str) else None,
        jti=str(claims["jti"]),
        issued_at=datetime.fromtimestamp(issued_at, tz=UTC),
        expires_at=datetime.fromtimestamp(expires_at, tz=UTC),
    )


def _timestamp(value: Any) -> int | None:
    """A NumericDate claim as whole seconds, or None when it names no representable time."""
    # bool is an int to Python, and "123" is an int to python-jose: neither is a NumericDate.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not 0 <= value <= _MAX_TIMESTAMP:
        return None
    return int(value)
