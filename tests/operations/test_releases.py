"""Releases: production replicas do not migrate on start unless asked."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from app.cli import app as cli
from app.core import migrate as migrations
from app.core.config import get_settings


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Record what `mentorat serve` would do, without serving or migrating."""
    import uvicorn

    calls: dict[str, Any] = {"migrated": 0}

    def fake_run(*args: Any, **kwargs: Any) -> None:
        calls["uvicorn"] = kwargs

    def fake_upgrade(*args: Any, **kwargs: Any) -> None:
        calls["migrated"] += 1

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setattr(migrations, "upgrade", fake_upgrade)
    # `serve` sets PROMETHEUS_MULTIPROC_DIR for its workers: restored after each test, so
    # that the rest of the run's /metrics answers are this process's own.
    before = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    yield calls
    if before is None:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    else:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = before
    get_settings.cache_clear()


def production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORAT_ENV", "production")
    monkeypatch.setenv("MENTORAT_JWT_SECRET", "x" * 40)
    monkeypatch.setenv("MENTORAT_DATA_KEY", Fernet.generate_key().decode())
    get_settings.cache_clear()


def test_production_serve_does_not_migrate(
    served: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    production(monkeypatch)
    result = CliRunner().invoke(cli, ["serve", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert served["migrated"] == 0
    assert served["uvicorn"]["workers"] == 2
    assert served["uvicorn"]["access_log"] is False
    assert served["uvicorn"]["timeout_graceful_shutdown"] > 0


def test_production_serve_migrates_when_asked(
    served: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    production(monkeypatch)
    result = CliRunner().invoke(cli, ["serve", "--migrate"])
    assert result.exit_code == 0, result.output
    assert served["migrated"] == 1


def test_development_serve_migrates_by_default(served: dict[str, Any]) -> None:
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert served["migrated"] == 1
    result = CliRunner().invoke(cli, ["serve", "--no-migrate"])
    assert served["migrated"] == 1
