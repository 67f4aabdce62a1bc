"""A path id is loaded by a dependency; its 404 comes after the request's own 422, as before."""

from __future__ import annotations

import uuid

from fastapi.routing import APIRoute, iter_route_contexts

from app.core.lookup import LoadingRoute
from tests.factories import login_as, make_hub
from tests.helpers import assert_problem


async def test_a_malformed_body_or_query_is_422_even_for_an_id_out_of_reach(client):
    coordinator = await login_as(client, "coordinator", await make_hub())
    unknown = uuid.uuid4()
    r = await client.post(f"/api/v1/matches/{unknown}/cancel", json={}, headers=coordinator.headers)
    assert_problem(r, 422, "validation-error")
    r = await client.get(
        f"/api/v1/webhooks/{unknown}/deliveries?limit=0", headers=coordinator.headers
    )
    assert_problem(r, 422, "validation-error")
    r = await client.post(
        f"/api/v1/matches/{unknown}/cancel", json={"reason": "x"}, headers=coordinator.headers
    )
    assert_problem(r, 404, "not-found")


async def test_a_role_refused_by_a_loader_is_403_after_the_validation_too(client):
    mentor = await login_as(client, "mentor", await make_hub())
    url = f"/api/v1/testimonials/{uuid.uuid4()}/approve"
    assert_problem(await client.post(url, headers=mentor.headers), 403, "forbidden")
    assert_problem(await client.get(f"/api/v1/sessions/{uuid.uuid4()}"), 401, "unauthenticated")


def test_every_route_with_a_load_or_404_dependency_answers_after_validation(app):
    def loads(dependant) -> bool:  # type: ignore[no-untyped-def]
        return any(
            getattr(d.call, "__name__", "").endswith("_or_404") or loads(d)
            for d in dependant.dependencies
        )

    routes = [c.original_route for c in iter_route_contexts(app.routes)]
    loading = [r for r in routes if isinstance(r, APIRoute) and loads(r.dependant)]
    assert len(loading) > 25
    assert all(isinstance(r, LoadingRoute) for r in loading), [
        r.path for r in loading if not isinstance(r, LoadingRoute)
    ]
