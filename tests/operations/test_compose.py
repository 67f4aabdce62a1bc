"""deploy/compose.yaml: every piece of a deployment, healthchecks, and no secret in the file."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

COMPOSE = Path(__file__).resolve().parents[2] / "deploy" / "compose.yaml"


def _services() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]


def test_the_deployment_has_its_pieces_and_healthchecks():
    services = _services()
    assert set(services) == {"db", "redis", "migrate", "app", "worker"}
    assert services["migrate"]["command"] == ["mentorat", "migrate"]
    assert services["app"]["command"][:2] == ["mentorat", "serve"]
    assert services["worker"]["command"] == ["mentorat", "worker"]
    for name in ("app", "worker"):
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
    for name in ("db", "redis", "app", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert services["app"]["environment"]["MENTORAT_REDIS_URL"].startswith("redis://redis")


def test_no_secret_is_written_in_the_file():
    secrets = ("PASSWORD", "SECRET", "DATA_KEY")
    for service in _services().values():
        for name, value in (service.get("environment") or {}).items():
            if any(word in name for word in secrets) or "://" in str(value):
                text = str(value)
                if "@" in text or any(word in name for word in secrets):
                    assert re.search(r"\$\{[A-Z_]+(:[-?][^}]*)?\}", text), (name, text)
