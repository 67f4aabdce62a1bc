"""Swagger UI (`/docs`) and ReDoc (`/redoc`), served by the app itself from app/static/.

No CDN: on a closed network the admins' page still loads. The assets are the npm packages
pinned in package-lock.json, copied by scripts/docs-assets.sh (app/static/VERSIONS).

Access tokens live 15 minutes. When one expires, the API answers `401` to the next call;
Swagger UI then forgets the stale token and opens Authorize again with a message saying
why, instead of failing every call silently.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
DOCS_URL = "/docs"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
TOKEN_PATH = "/api/v1/auth/token"

_SWAGGER_HTML = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="/static/swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">
<style>
  #session-expired {{ display: none; margin: 0; padding: 12px 20px; background: #fff4e5;
    border-bottom: 2px solid #e8a33d; font-family: sans-serif; font-size: 14px; }}
</style>
</head>
<body>
<p id="session-expired" role="alert">
  Votre session a expiré (15 minutes) : reconnectez-vous avec <b>Authorize</b>.
  / Your session expired (15 minutes): log in again with <b>Authorize</b>.
</p>
<div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script>
const tokenPath = {token_path};
const ui = SwaggerUIBundle(Object.assign({{
  url: {openapi_url},
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  oauth2RedirectUrl: window.location.origin + {redirect_url},
  responseInterceptor: function (response) {{
    const refused = response.status === 401 && !String(response.url).endsWith(tokenPath);
    const authorized = ui.authSelectors.authorized().toJS();
    if (refused && Object.keys(authorized).length > 0) {{
      // The stored access token expired or was revoked: forget it and ask again.
      ui.authActions.logoutWithPersistOption(Object.keys(authorized));
      document.getElementById("session-expired").style.display = "block";
      ui.authActions.showDefinitions(ui.authSelectors.definitionsToAuthorize());
    }}
    if (response.status === 200 && String(response.url).endsWith(tokenPath)) {{
      document.getElementById("session-expired").style.display = "none";
    }}
    return response;
  }},
}}, {parameters}));
</script>
</body>
</html>
"""


def swagger_ui_html(title: str, openapi_url: str, parameters: dict[str, object]) -> str:
    """The Swagger UI page, its assets and settings all from this server."""
    return _SWAGGER_HTML.format(
        title=title,
        openapi_url=json.dumps(openapi_url),
        redirect_url=json.dumps(OAUTH2_REDIRECT_URL),
        token_path=json.dumps(TOKEN_PATH),
        parameters=json.dumps(parameters),
    )


def install_docs(app: FastAPI, parameters: dict[str, object]) -> None:
    """Mount the assets and the two documentation pages (the app is built with docs_url=None)."""
    openapi_url = app.openapi_url or "/openapi.json"
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    page = swagger_ui_html(f"{app.title} — Swagger UI", openapi_url, parameters)

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} — ReDoc",
            redoc_js_url="/static/redoc/redoc.standalone.js",
            redoc_favicon_url="/static/swagger-ui/favicon-32x32.png",
            with_google_fonts=False,
        )
