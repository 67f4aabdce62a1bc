"""The identities Schemathesis tests with, as a Web Fuzzing Commons auth document on stdout.

Usage: python scripts/schemathesis_identities.py http://127.0.0.1:PORT

Against a server holding the demo data: the coordinators of two hubs (password grant) and a new
API client of the Montréal hub with every scope (client credentials), created here with the demo
admin. Each identity logs in through POST /api/v1/auth/token, so Schemathesis logs in again when
a token is refused (the fuzzer may call logout on its own token).
"""

from __future__ import annotations

import json
import sys
import urllib.parse
import urllib.request
from typing import Any

DEMO_PASSWORD = "mentorat-demo-2026"
TOKEN_PATH = "/api/v1/auth/token"


def _call(base: str, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Any:
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _login(base: str, email: str) -> str:
    form = urllib.parse.urlencode({"username": email, "password": DEMO_PASSWORD}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return str(_call(base, "POST", TOKEN_PATH, form, headers)["access_token"])


def _identity(name: str, form: dict[str, str]) -> dict[str, Any]:
    return {
        "name": name,
        "loginEndpointAuth": {
            "endpoint": TOKEN_PATH,
            "verb": "POST",
            "contentType": "application/x-www-form-urlencoded",
            "payloadRaw": urllib.parse.urlencode(form),
            "token": {
                "extractFrom": "body",
                "extractSelector": "/access_token",
                "sendIn": "header",
                "sendName": "Authorization",
                "sendTemplate": "Bearer {token}",
            },
        },
    }


def main(base: str) -> None:
    admin = {"Authorization": f"Bearer {_login(base, 'admin@mentorat.example')}"}
    hubs = {hub["slug"]: hub for hub in _call(base, "GET", "/api/v1/hubs", None, admin)["items"]}
    scopes = _call(base, "GET", "/api/v1/reference", None, admin)["api_scopes"]
    created = _call(
        base,
        "POST",
        f"/api/v1/hubs/{hubs['montreal']['id']}/api-clients",
        json.dumps(
            {"name": "Schemathesis (Montréal)", "scopes": [scope["code"] for scope in scopes]}
        ).encode(),
        {**admin, "Content-Type": "application/json"},
    )
    password = {"grant_type": "password", "password": DEMO_PASSWORD}
    document = {
        "schemaVersion": "0.1.0",
        "auth": [
            _identity(
                "coordination-montreal",
                {**password, "username": "coordination@montreal.example"},
            ),
            _identity(
                "coordination-quebec",
                {**password, "username": "coordination@capitale-nationale.example"},
            ),
            _identity(
                "client-montreal",
                {
                    "grant_type": "client_credentials",
                    "client_id": created["client_id"],
                    "client_secret": created["client_secret"],
                },
            ),
        ],
    }
    json.dump(document, sys.stdout, indent=2)


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
