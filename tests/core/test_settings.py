"""Settings: safe defaults locally, a refusal to start in production without real secrets."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from app.core.config import DEFAULT_JWT_SECRET, Settings

STRONG = "k" * 32


@pytest.fixture(autouse=True)
def _no_secrets_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "MENTORAT_JWT_SECRET",
        "MENTORAT_DATA_KEY",
        "MENTORAT_ENV",
        "MENTORAT_DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)


def test_production_refuses_the_default_secret():
    with pytest.raises(ValidationError, match="MENTORAT_JWT_SECRET"):
        Settings(env="production", data_key=Fernet.generate_key().decode())


def test_production_refuses_a_short_secret():
    with pytest.raises(ValidationError, match="32 bytes"):
        Settings(env="production", jwt_secret="s" * 31, data_key=Fernet.generate_key().decode())


def test_production_refuses_a_missing_data_key():
    with pytest.raises(ValidationError, match="MENTORAT_DATA_KEY"):
        Settings(env="production", jwt_secret=STRONG)
    with pytest.raises(ValidationError, match="MENTORAT_DATA_KEY"):
        Settings(env="production", jwt_secret=STRONG, data_key="   ")


def test_production_starts_with_real_secrets():
    key = Fernet.generate_key().decode()
    settings = Settings(env="production", jwt_secret=STRONG, data_key=key)
    assert settings.jwt_secret.get_secret_value() == STRONG
    assert settings.data_key is not None


def test_production_reads_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MENTORAT_ENV", "production")
    with pytest.raises(ValidationError):
        Settings()
    monkeypatch.setenv("MENTORAT_JWT_SECRET", "é" * 16)  # 32 bytes in UTF-8
    monkeypatch.setenv("MENTORAT_DATA_KEY", Fernet.generate_key().decode())
    assert Settings().env == "production"


def test_development_defaults_are_usable():
    settings = Settings(env="development")
    assert settings.jwt_secret.get_secret_value() == DEFAULT_JWT_SECRET
    assert settings.database_url == "sqlite:///./mentorat.db"
    assert settings.access_token_ttl_seconds == 900
    assert settings.login_max_failures == 10
    assert settings.max_body_bytes == 1_048_576
    assert settings.cors_origin_list == []


def test_a_short_secret_is_refused_everywhere():
    with pytest.raises(ValidationError, match="32 bytes"):
        Settings(env="development", jwt_secret="short")


def test_cors_origins_are_a_comma_separated_list():
    settings = Settings(cors_origins=" https://a.example , https://b.example,")
    assert settings.cors_origin_list == ["https://a.example", "https://b.example"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("access_token_ttl_seconds", 10), ("argon2_memory_kib", 1024), ("env", "staging")],
)
def test_unsafe_values_are_refused(field, value):
    with pytest.raises(ValidationError):
        Settings(**{field: value})
