"""An unexpected failure is logged without its message, and the answer carries the request id."""

import logging

import httpx

from app.main import create_app


async def test_crash_log_names_the_class_not_the_message(caplog):
    crashing = create_app()

    secret = " ".join(["agenda:", "un", "conflit", "avec", "mon", "CA"])

    @crashing.post("/api/v1/boom")
    async def boom() -> None:
        # The message comes from data, as it would in real code (frames show source only).
        raise RuntimeError(secret)

    transport = httpx.ASGITransport(app=crashing, raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        with caplog.at_level(logging.ERROR):
            response = await http.post("/api/v1/boom", headers={"X-Request-ID": "req-123"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "req-123"
    assert "RuntimeError" in caplog.text and "req-123" in caplog.text
    assert "conflit" not in caplog.text
