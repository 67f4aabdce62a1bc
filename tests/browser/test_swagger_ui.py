"""Swagger UI in a real browser: an admin logs in with Authorize and calls the API.

Debian's `chromium`, driven by Playwright (no browser download), against `mentorat serve`
on 127.0.0.1 with the demo data. Screenshots of each step are kept in the test's output
folder (pytest's tmp_path; the path is printed). Without /usr/bin/chromium the test skips,
unless MENTORAT_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser fails.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ADMIN = ("admin@mentorat.example", "mentorat-demo-2026")
BIN = Path(sys.executable).parent


def _require_browser() -> None:
    if Path(CHROMIUM).exists() and shutil.which("node") is not None:
        return
    if os.environ.get("MENTORAT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    pytest.skip(f"{CHROMIUM} is not installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`mentorat serve` on a fresh SQLite database with the demo data; stopped after."""
    _require_browser()
    folder = tmp_path_factory.mktemp("live")
    env = {
        **os.environ,
        "MENTORAT_DATABASE_URL": f"sqlite:///{folder}/live.db",
        "MENTORAT_KEYSTORE_URL": f"sqlite:///{folder}/live-keys.db",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    mentorat = str(BIN / "mentorat")
    subprocess.run([mentorat, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run(
        [mentorat, "seed-demo", "--admin-email", ADMIN[0], "--admin-password", ADMIN[1]],
        env=env,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [mentorat, "serve", "--no-migrate", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"the server did not start: {(folder / 'server.log').read_text()}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_an_admin_logs_in_through_authorize_and_calls_the_api(live_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    shots = tmp_path / "screenshots"
    shots.mkdir()
    print(f"screenshots: {shots}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            outside: list[str] = []
            page.on(
                "request",
                lambda request: (
                    None if request.url.startswith(live_server) else outside.append(request.url)
                ),
            )
            page.goto(f"{live_server}/docs")
            expect(page.get_by_text("Mentorat API").first).to_be_visible(timeout=20_000)
            page.screenshot(path=shots / "1-docs.png")

            # Authorize: the OAuth2 password flow with the demo admin.
            page.get_by_role("button", name="Authorize").first.click()
            oauth2 = page.locator(".modal-ux .auth-container").first
            oauth2.locator("input#oauth_username").fill(ADMIN[0])
            oauth2.locator("input#oauth_password").fill(ADMIN[1])
            page.screenshot(path=shots / "2-authorize.png")
            oauth2.locator("button.authorize").click()
            expect(oauth2.locator("button", has_text="Logout")).to_be_visible()
            page.screenshot(path=shots / "3-authorized.png")
            oauth2.locator("button.btn-done").click()

            def run(operation_id: str) -> str:
                block = page.locator(f"#operations-{operation_id}")
                block.locator(".opblock-summary").first.click()
                block.get_by_role("button", name="Try it out").click()
                block.get_by_role("button", name="Execute").click()
                answered = ".live-responses-table tr.response .response-col_status"
                status = block.locator(answered).first
                expect(status).to_be_visible(timeout=20_000)
                return status.inner_text().strip()

            me = run("users-users-me")
            page.locator("#operations-users-users-me").screenshot(path=shots / "4-users-me.png")
            assert me == "200", me
            body = page.locator("#operations-users-users-me .live-responses-table").inner_text()
            assert ADMIN[0] in body

            mentors = run("mentors-mentors-list")
            page.locator("#operations-mentors-mentors-list").screenshot(
                path=shots / "5-mentors.png"
            )
            assert mentors == "200", mentors
            listed = page.locator("#operations-mentors-mentors-list .live-responses-table")
            assert "next_cursor" in listed.inner_text()
            # Every asset came from this server: no CDN.
            assert outside == []

            # The login ends (as when the 15-minute token expires): the next call answers
            # 401, and Swagger UI drops the token, says why and opens Authorize again.
            stored = json.loads(page.evaluate("localStorage.getItem('authorized')"))
            token = stored["OAuth2PasswordBearer"]["token"]
            logout = urllib.request.Request(
                f"{live_server}/api/v1/auth/logout",
                data=json.dumps({"refresh_token": token["refresh_token"]}).encode(),
                headers={
                    "Authorization": f"Bearer {token['access_token']}",
                    "Content-Type": "application/json",
                },
                method="POST",
            )
            assert urllib.request.urlopen(logout, timeout=10).status in (200, 204)
            block = page.locator("#operations-users-users-me")
            block.get_by_role("button", name="Execute").click()
            expect(page.locator("#session-expired")).to_be_visible(timeout=20_000)
            expect(page.locator(".modal-ux .auth-container input#oauth_username")).to_be_visible()
            page.screenshot(path=shots / "6-session-expired.png")
            assert page.evaluate("localStorage.getItem('authorized')") in (None, "{}")
        finally:
            browser.close()
    assert sorted(p.name for p in shots.iterdir()) == [
        "1-docs.png",
        "2-authorize.png",
        "3-authorized.png",
        "4-users-me.png",
        "5-mentors.png",
        "6-session-expired.png",
    ]
