"""The command line refuses unsafe production settings with a clear message."""

import subprocess
import sys
from pathlib import Path


def test_serve_refuses_a_default_secret_in_production(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "MENTORAT_ENV": "production",
        "MENTORAT_JWT_SECRET": "too-short-secret",
        "MENTORAT_DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    assert result.returncode == 2
    assert "MENTORAT_JWT_SECRET" in result.stderr
    assert "too-short-secret" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
