"""Swagger UI and ReDoc load from this server alone: no CDN, so they work on a closed network."""

from __future__ import annotations

import re

import pytest

ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_a_documentation_page_and_every_asset_it_loads_come_from_this_server(client, page):
    r = await client.get(page)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assets = ASSET.findall(r.text)
    assert assets, r.text
    for asset in assets:
        assert asset.startswith("/static/"), asset
        loaded = await client.get(asset)
        assert loaded.status_code == 200, asset
        assert len(loaded.content) > 100, asset
    # Nothing fetched from elsewhere: no absolute URL in the page at all (ReDoc's fonts too).
    assert "https://" not in r.text and "http://" not in r.text
    assert "/openapi.json" in r.text


async def test_swagger_ui_keeps_the_login_and_re_asks_for_it_when_the_token_expires(client):
    page = (await client.get("/docs")).text
    assert '"persistAuthorization": true' in page
    # On a 401 from any call but the login itself, the stale token is dropped and
    # Authorize opens again with a message saying why.
    assert "response.status === 401" in page
    assert "ui.authActions.logoutWithPersistOption" in page and "showDefinitions" in page
    assert "Your session expired" in page and "Votre session a expiré" in page
    redirect = await client.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200 and "oauth2" in redirect.text.lower()


def test_the_served_assets_name_their_pinned_packages():
    # scripts/docs-assets.sh --check (in .ci/run) compares the files byte for byte with the
    # packages of package-lock.json; here, what the app ships says which versions they are.
    from app.docs_ui import STATIC

    lines = (STATIC / "VERSIONS").read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["swagger-ui-dist", "redoc"]
    assert all(re.fullmatch(r"\S+ \d+\.\d+\.\d+", line) for line in lines)
    assert b"SwaggerUIBundle" in (STATIC / "swagger-ui" / "swagger-ui-bundle.js").read_bytes()
