"""Assertions on RFC 9457 problem answers, shared by the test modules."""

from __future__ import annotations

from typing import Any

import httpx

PROBLEM_JSON = "application/problem+json"
EN = {"Accept-Language": "en"}


def assert_problem(response: httpx.Response, status: int, type_: str | None = None) -> Any:
    """The answer is a problem document of this status (and type); returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    for key in ("type", "title", "status", "detail"):
        assert isinstance(body.get(key), str if key != "status" else int), body
    assert body["status"] == status
    if type_ is not None:
        assert body["type"] == type_, body
    return body


def error_fields(body: Any) -> list[Any]:
    """The last part of each `loc` of a validation problem (the field names)."""
    assert isinstance(body.get("errors"), list) and body["errors"], body
    for entry in body["errors"]:
        assert isinstance(entry["loc"], list) and isinstance(entry["msg"], str), entry
    return [entry["loc"][-1] for entry in body["errors"]]


def assert_names_field(response: httpx.Response, field: str) -> Any:
    """A 422 whose `errors` name this field."""
    body = assert_problem(response, 422, "validation-error")
    assert field in error_fields(body), body
    return body


async def new_api_client(
    client: httpx.AsyncClient,
    staff_headers: dict[str, str],
    hub_id: object,
    scopes: tuple[str, ...] = ("mentors:read",),
) -> dict[str, Any]:
    """Register an API client through the API; returns the creation answer."""
    response = await client.post(
        f"/api/v1/hubs/{hub_id}/api-clients",
        json={"name": "Système du pôle", "scopes": list(scopes)},
        headers=staff_headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def client_token(
    client: httpx.AsyncClient, staff_headers: dict[str, str], hub_id: object
) -> str:
    """A new API client of the hub, logged in with the client-credentials grant."""
    created = await new_api_client(client, staff_headers, hub_id)
    response = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created["client_id"],
            "client_secret": created["client_secret"],
        },
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
