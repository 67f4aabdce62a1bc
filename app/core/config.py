"""Settings read from MENTORAT_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from limits import parse_many
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Known to everyone who reads this file: fine on a laptop, refused in production.
DEFAULT_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef"


class Settings(BaseSettings):
    """Every setting of the service; safe defaults for local use."""

    model_config = SettingsConfigDict(env_prefix="MENTORAT_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./mentorat.db"
    database_pool_size: int = Field(default=10, ge=1, le=200)
    database_echo: bool = False

    jwt_secret: SecretStr = SecretStr(DEFAULT_JWT_SECRET)
    jwt_issuer: str = "mentorat"
    jwt_audience: str = "mentorat-api"
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=86_400)
    refresh_token_ttl_seconds: int = Field(default=30 * 86_400, ge=300)

    # Comma-separated origins allowed by CORS (browsers' single-page front ends).
    cors_origins: str = ""

    # Comma-separated Fernet keys; the first encrypts, all decrypt (rotation).
    data_key: SecretStr | None = None
    # The per-person key store, apart from the content database (app.core.keystore);
    # unset: a second SQLite file beside the main one, or `<database>_keys` on PostgreSQL.
    keystore_url: str | None = None
    # How long an unwrapped person key may stay in memory (never written anywhere).
    key_cache_seconds: int = Field(default=60, ge=0, le=3600)
    # Comma-separated secrets signing pagination cursors: the first signs, all verify,
    # so the key rotates without breaking the cursors in flight. By default a key is
    # derived from each data key (not from the JWT secret, which rotates on its own).
    cursor_key: SecretStr | None = None

    # Argon2id: OWASP's minimum profile by default (19 MiB, t=2, p=1).
    argon2_memory_kib: int = Field(default=19_456, ge=19_456)
    argon2_time_cost: int = Field(default=2, ge=2)
    argon2_parallelism: int = Field(default=1, ge=1)

    login_max_failures: int = Field(default=10, ge=1)
    login_lockout_seconds: int = Field(default=900, ge=1)

    max_body_bytes: int = Field(default=1_048_576, ge=1024)

    # Rate limits (`limits` notation: "100/second", several joined by ";"), counted per
    # API client, per user account, and per client address on the token endpoint and
    # the other public routes. Counters live in memory unless MENTORAT_REDIS_URL is set,
    # in which case every process shares them.
    rate_limit_client: str = "100/second"
    rate_limit_user: str = "500/second"
    rate_limit_token: str = "50/second"
    rate_limit_public: str = "100/second"
    redis_url: SecretStr | None = None
    public_base_url: str = "http://127.0.0.1:8000"

    # Email. Without an SMTP host, messages are written as .eml files to mail_dir.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65_535)
    smtp_starttls: bool = True
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_sender: str = "Mentorat <no-reply@mentorat.example>"
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    mail_dir: str = "./mail"
    # The links in invitations and resets point to the front end that takes the token.
    frontend_base_url: str | None = None
    invitation_ttl_seconds: int = Field(default=7 * 86_400, ge=300)
    password_reset_ttl_seconds: int = Field(default=3600, ge=300)
    mail_max_attempts: int = Field(default=6, ge=1, le=50)
    mail_retry_base_seconds: int = Field(default=60, ge=1)

    # `mentorat worker` runs the retention (app.retention) every this many hours; 0: never
    # (then run `mentorat retention` from a scheduler of your own).
    retention_interval_hours: int = Field(default=24, ge=0, le=24 * 366)

    # Webhooks (app.webhooks): deliveries time out, retry with exponential backoff and
    # jitter for `webhook_retry_window_seconds`, then fail. Addresses that resolve to
    # loopback, private, link-local, multicast or metadata ranges are refused unless
    # `webhook_allow_private` (development and tests).
    webhook_allow_private: bool = False
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_retry_base_seconds: float = Field(default=30.0, ge=0)
    webhook_retry_window_seconds: int = Field(default=24 * 3600, ge=0)
    # How many deliveries one worker takes at a time, and sends at once.
    webhook_batch: int = Field(default=50, ge=1, le=1000)
    webhook_concurrency: int = Field(default=10, ge=1, le=100)

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        """Refuse to start in production with a default or short secret."""
        if self.env == "production":
            secret = self.jwt_secret.get_secret_value()
            if secret == DEFAULT_JWT_SECRET or len(secret.encode()) < 32:
                raise ValueError(
                    "MENTORAT_JWT_SECRET must be set to a secret of at least 32 bytes in production"
                )
            if self.data_key is None or not self.data_key.get_secret_value().strip():
                raise ValueError("MENTORAT_DATA_KEY must be set in production")
        elif len(self.jwt_secret.get_secret_value().encode()) < 32:
            raise ValueError("MENTORAT_JWT_SECRET must be at least 32 bytes")
        return self

    @model_validator(mode="after")
    def _refuse_short_cursor_keys(self) -> Settings:
        """A cursor key short enough to guess would let anyone forge cursors."""
        if any(len(part.encode()) < 32 for part in _parts(self.cursor_key)):
            raise ValueError("MENTORAT_CURSOR_KEY must hold secrets of at least 32 bytes each")
        return self

    @model_validator(mode="after")
    def _refuse_bad_rate_limits(self) -> Settings:
        """A rate limit that does not parse would silently limit nothing."""
        for name in (
            "rate_limit_client",
            "rate_limit_user",
            "rate_limit_token",
            "rate_limit_public",
        ):
            try:
                parse_many(getattr(self, name))
            except ValueError:
                raise ValueError(
                    f"MENTORAT_{name.upper()} must read like 100/second (several joined by ;)"
                ) from None
        return self

    @property
    def data_key_list(self) -> list[str]:
        """The data keys, first (encrypting) first."""
        return _parts(self.data_key)

    @property
    def cursor_key_list(self) -> list[str]:
        """The cursor keys, first (signing) first."""
        return _parts(self.cursor_key)

    @property
    def cors_origin_list(self) -> list[str]:
        """CORS origins as a list."""
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


def _parts(secret: SecretStr | None) -> list[str]:
    raw = secret.get_secret_value() if secret else ""
    return [part.strip() for part in raw.split(",") if part.strip()]


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
