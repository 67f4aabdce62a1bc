"""A 405 answer's `Allow` lists every method the path accepts (RFC 9110), on every path."""

from __future__ import annotations

import re
import uuid

from fastapi.routing import iter_route_contexts

from tests.factories import login_as, make_hub
from tests.helpers import assert_problem

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _url(path: str) -> str:
    # Any value fills a path parameter: a 405 is decided before the parameters are read.
    return re.sub(r"{[^}]+}", lambda _m: str(uuid.uuid4()), path)


UUID_SEGMENT = "[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}"


def _routes_to(template: str, url: str) -> bool:
    """The router sends the URL to this template (text only; types are checked later)."""
    parts = re.split(r"{[^}]+}", template)
    return re.fullmatch("[^/]+".join(re.escape(part) for part in parts), url) is not None


def _matches(template: str, url: str) -> bool:
    # An id parameter (`{..._id}`) only matches a UUID: `/testimonials/pending` is not served by
    # `DELETE /testimonials/{evaluation_id}` (Schemathesis found `Allow: GET, DELETE` there).
    parts = re.split(r"({[^}]+})", template)
    pattern = "".join(
        (UUID_SEGMENT if part.endswith("_id}") else "[^/]+")
        if part.startswith("{")
        else re.escape(part)
        for part in parts
    )
    return re.fullmatch(pattern, url) is not None


def _registered(app) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Each path of the app (API routes, docs, health) and the methods registered on it."""
    methods: dict[str, set[str]] = {}
    # The same walk as the OpenAPI generator's: included routers yield their routes, prefixed.
    for route in iter_route_contexts(app.routes):
        if route.path and route.methods:
            methods.setdefault(route.path, set()).update(route.methods)
    return methods


async def test_put_on_the_mentors_list_names_get_and_post(client):
    response = await client.put("/api/v1/mentors", json={})
    assert_problem(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "GET, POST"


async def test_every_path_allows_exactly_its_registered_methods(client, app):
    registered = _registered(app)
    assert len(registered) > 40
    checked = 0
    for path, methods in sorted(registered.items()):
        url = _url(path)
        refused = [m for m in METHODS if m not in methods]
        for method in refused:
            response = await client.request(method, url)
            if response.status_code != 405:
                # Another route's pattern takes this URL too (`/users/me` and `/users/{id}`).
                assert any(other != path and _routes_to(other, url) for other in registered), (
                    method,
                    path,
                    response.status_code,
                )
                continue
            assert_problem(response, 405, "method-not-allowed")
            allowed = {m.strip() for m in response.headers["allow"].split(",")}
            # Every method some route accepts on this URL, and none other.
            expected = set().union(
                *(others for other, others in registered.items() if _matches(other, url))
            )
            assert methods <= allowed, (method, path, allowed)
            assert allowed == expected, (method, path, allowed, expected)
            checked += 1
    assert checked > 40


async def test_each_method_the_allow_header_names_is_not_refused_with_405(client):
    response = await client.delete("/api/v1/sessions")
    assert_problem(response, 405)
    for method in (m.strip() for m in response.headers["allow"].split(",")):
        answer = await client.request(method, "/api/v1/sessions")
        assert answer.status_code != 405, method


async def test_a_method_only_a_parameter_route_has_is_405_on_a_literal_sibling(client):
    # Found by Schemathesis: DELETE /testimonials/pending reached DELETE /testimonials/{id}
    # and answered 422 (pending is no id); the URL is GET's alone, so it is a 405.
    coord = await login_as(client, "coordinator", await make_hub())
    response = await client.delete("/api/v1/testimonials/pending", headers=coord.headers)
    assert_problem(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "GET"
    # A malformed id where no literal route exists stays a 422 naming it.
    malformed = await client.delete("/api/v1/testimonials/pas-un-id", headers=coord.headers)
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["loc"] == ["path", "evaluation_id"]
