"""A front end on another origin (Vite's http://localhost:5173) may call the API once listed."""

from __future__ import annotations

import httpx
import pytest

from app.core.config import get_settings
from app.main import create_app

FRONT_END = "http://localhost:5173"
PREFLIGHT = {
    "Origin": FRONT_END,
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "authorization, content-type",
}


@pytest.fixture
def app_with_origins(monkeypatch):
    def build(origins: str | None) -> httpx.AsyncClient:
        if origins is None:
            monkeypatch.delenv("MENTORAT_CORS_ORIGINS", raising=False)
        else:
            monkeypatch.setenv("MENTORAT_CORS_ORIGINS", origins)
        get_settings.cache_clear()
        transport = httpx.ASGITransport(app=create_app())
        return httpx.AsyncClient(transport=transport, base_url="http://test")

    yield build
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_a_listed_origin_gets_its_preflight_and_reads_the_answers(app_with_origins, migrated):
    async with app_with_origins(f"{FRONT_END},https://portail.example") as http:
        preflight = await http.options("/api/v1/mentors", headers=PREFLIGHT)
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == FRONT_END
        allowed = preflight.headers["access-control-allow-headers"].lower()
        assert "authorization" in allowed and "content-type" in allowed
        assert "GET" in preflight.headers["access-control-allow-methods"]
        # The real call: the browser may read the answer and the headers a client needs.
        answer = await http.get("/api/v1/reference", headers={"Origin": FRONT_END})
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == FRONT_END
        exposed = answer.headers["access-control-expose-headers"].lower()
        assert {"etag", "location", "retry-after", "x-request-id"} <= {
            h.strip() for h in exposed.split(",")
        }


async def test_an_unlisted_origin_or_no_setting_gets_no_cors_headers(app_with_origins, migrated):
    async with app_with_origins("https://portail.example") as http:
        preflight = await http.options("/api/v1/mentors", headers=PREFLIGHT)
        assert preflight.status_code == 400
        assert "access-control-allow-origin" not in preflight.headers
    async with app_with_origins(None) as http:
        answer = await http.get("/api/v1/reference", headers={"Origin": FRONT_END})
        assert answer.status_code == 200
        assert "access-control-allow-origin" not in answer.headers
