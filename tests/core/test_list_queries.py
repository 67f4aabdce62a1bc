"""Every list reads its query string one way: its pydantic query model, validated in one call."""

from __future__ import annotations

import typing

from fastapi.routing import APIRoute, iter_route_contexts

from app.core.pagination import ListQuery, Page
from tests.factories import login_as, make_hub
from tests.helpers import assert_problem


def _is_page(model: object) -> bool:
    origin = typing.get_origin(model) or model
    return isinstance(origin, type) and issubclass(origin, Page)


def test_every_list_route_takes_one_query_model_and_documents_it(app):
    lists = [
        (c.path_format, c.original_route)
        for c in iter_route_contexts(app.routes)
        if isinstance(c.original_route, APIRoute) and _is_page(c.original_route.response_model)
    ]
    assert len(lists) >= 14
    document = app.openapi()
    for path, route in lists:
        models = [
            d.call.query_model
            for d in route.dependant.dependencies
            if hasattr(d.call, "query_model")
        ]
        assert len(models) == 1 and issubclass(models[0], ListQuery), path
        # No query parameter of FastAPI's own beside the model: one parser per list.
        assert route.dependant.query_params == [], path
        for sub in route.dependant.dependencies:
            assert sub.query_params == [], path
        documented = {
            p["name"] for p in document["paths"][path]["get"]["parameters"] if p["in"] == "query"
        }
        expected = {f.alias or name for name, f in models[0].model_fields.items()}
        assert documented == expected, path


async def test_a_list_query_is_validated_named_and_translated(client):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    r = await client.get("/api/v1/matches?limit=0&status=nope", headers=coordinator.headers)
    problem = assert_problem(r, 422, "validation-error")
    locations = sorted(tuple(e["loc"]) for e in problem["errors"])
    assert locations == [("query", "limit"), ("query", "status")]
    r = await client.get(
        "/api/v1/sessions?from=2026-13-01",
        headers={**coordinator.headers, "Accept-Language": "en"},
    )
    problem = assert_problem(r, 422, "validation-error")
    assert [e["loc"] for e in problem["errors"]] == [["query", "from"]]
    assert problem["title"] == "Invalid request"


async def test_a_list_query_ignores_parameters_it_does_not_name(client):
    coordinator = await login_as(client, "coordinator", await make_hub())
    r = await client.get(
        "/api/v1/matches?limit=1&colour=blue&include_total=true", headers=coordinator.headers
    )
    assert r.status_code == 200
    assert r.json() == {"items": [], "next_cursor": None, "total": 0}


async def test_a_caller_is_refused_before_the_query_is_read(client):
    mentor = await login_as(client, "mentor", await make_hub())
    assert_problem(await client.get("/api/v1/audit-events?limit=0"), 401, "unauthenticated")
    r = await client.get("/api/v1/audit-events?limit=0", headers=mentor.headers)
    assert_problem(r, 403, "forbidden")
