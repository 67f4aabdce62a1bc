"""Every operation of the document shows what to send and what comes back, and says it truly."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from app.core.security import password_hasher
from app.main import create_app
from tests.factories import login_as, make_hub, make_user


def _document() -> dict[str, Any]:
    return create_app().openapi()


def _media(document: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(where, method, path, media type object) of every body of every operation."""
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for content_type, media in operation.get("requestBody", {}).get("content", {}).items():
                found.append((f"request {content_type}", method, path, media))
            for status, response in operation["responses"].items():
                for content_type, media in response.get("content", {}).items():
                    found.append((f"{status} {content_type}", method, path, media))
    return found


def _examples(media: dict[str, Any]) -> list[Any]:
    if "example" in media:
        return [media["example"]]
    return [named["value"] for named in media.get("examples", {}).values()]


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    # The body's schema inside a copy of the document, so that its $refs resolve.
    return Draft202012Validator(
        {**schema, "components": document["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def test_every_request_and_response_body_has_an_example_that_fits_its_schema():
    document = _document()
    media_types = _media(document)
    assert len(media_types) > 600
    for where, method, path, media in media_types:
        examples = _examples(media)
        assert examples, (method, path, where)
        validator = _validator(document, media["schema"])
        for example in examples:
            errors = [e.message for e in validator.iter_errors(example)]
            assert not errors, (method, path, where, errors)


def test_examples_show_a_realistic_program_not_placeholders():
    document = _document()
    paths = document["paths"]
    mentor = paths["/api/v1/mentors/{profile_id}"]["get"]["responses"]["200"]
    example = mentor["content"]["application/json"]["example"]
    assert example["first_name"] == "Marie"
    assert example["status"] == "active"
    assert example["anonymised_at"] is None  # an active mentor is not anonymised
    match = paths["/api/v1/matches/{match_id}"]["get"]["responses"]["200"]
    match_example = match["content"]["application/json"]["example"]
    # Ids agree across examples: the match's mentor is the mentor shown.
    assert match_example["mentor_id"] == example["id"]
    assert match_example["end_reason"] is None
    # A list shows one item of its page and the cursor to follow.
    listed = paths["/api/v1/mentors"]["get"]["responses"]["200"]
    page = listed["content"]["application/json"]["example"]
    assert page["items"] == [example]
    assert page["next_cursor"]
    # A PATCH changes a couple of fields; a create omits what it does not send (no nulls).
    patch = paths["/api/v1/mentors/{profile_id}"]["patch"]["requestBody"]
    assert patch["content"]["application/json"]["example"] == {
        "capacity": 2,
        "availability": ["tue_pm", "thu_eve"],
    }
    create = paths["/api/v1/mentors"]["post"]["requestBody"]["content"]["application/json"]
    assert None not in create["example"].values()
    # The login form shows each grant on its own.
    token = paths["/api/v1/auth/token"]["post"]["requestBody"]
    grants = token["content"]["application/x-www-form-urlencoded"]["examples"]
    assert {g["value"]["grant_type"] for g in grants.values()} == {
        "password",
        "refresh_token",
        "client_credentials",
    }


def _problem_examples(document: dict[str, Any], method: str, path: str, status: int) -> list[Any]:
    response = document["paths"][path][method]["responses"][str(status)]
    return _examples(response["content"]["application/problem+json"])


def _problem_example(document: dict[str, Any], method: str, path: str, status: int) -> Any:
    (only,) = _problem_examples(document, method, path, status)
    return only


async def test_problem_examples_are_what_the_service_answers(client):
    """The documented problems are the service's own words for that status."""
    document = _document()
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)

    # 401 without credentials, and with a token that is not (or no longer) valid
    answer = await client.get("/api/v1/mentors")
    assert answer.status_code == 401
    documented = _problem_examples(document, "get", "/api/v1/mentors", 401)
    assert answer.json() == documented[0]
    answer = await client.get("/api/v1/mentors", headers={"Authorization": "Bearer expired.x.y"})
    assert answer.status_code == 401
    assert answer.json() == documented[1]

    # the login's own 401 and 422
    answer = await client.post(
        "/api/v1/auth/token", data={"username": coordinator.user.email, "password": "wrong pass"}
    )
    assert answer.status_code == 401
    assert answer.json() in _problem_examples(document, "post", "/api/v1/auth/token", 401)
    answer = await client.post("/api/v1/auth/token", data={"password": "x"})
    assert answer.status_code == 422
    assert answer.json() == _problem_example(document, "post", "/api/v1/auth/token", 422)

    # 409: the rule the operation's service applies (a taken slug, a taken email)
    admin = await login_as(client, "admin")
    answer = await client.post(
        "/api/v1/hubs",
        json={"slug": hub.slug, "name": "Doublon", "contact_email": "x@example.org"},
        headers=admin.headers,
    )
    assert answer.status_code == 409
    assert answer.json() in _problem_examples(document, "post", "/api/v1/hubs", 409)

    # 404 for an id out of reach
    answer = await client.get(f"/api/v1/mentors/{uuid.uuid4()}", headers=coordinator.headers)
    assert answer.status_code == 404
    assert answer.json() == _problem_example(document, "get", "/api/v1/mentors/{profile_id}", 404)

    # 403 for a role that may not
    mentee = await login_as(client, "mentee", hub)
    answer = await client.get("/api/v1/webhooks", headers=mentee.headers)
    assert answer.status_code == 403
    assert answer.json() == _problem_example(document, "get", "/api/v1/webhooks", 403)

    # 422 naming the first required field of a body
    answer = await client.post("/api/v1/matches", json={}, headers=coordinator.headers)
    assert answer.status_code == 422
    documented = _problem_example(document, "post", "/api/v1/matches", 422)
    assert documented["errors"][0] in answer.json()["errors"]
    assert {k: v for k, v in answer.json().items() if k != "errors"} == {
        k: v for k, v in documented.items() if k != "errors"
    }

    # 422 for a field a PATCH does not know
    mentor = await client.post(
        "/api/v1/mentors",
        json=_request_example(document, "post", "/api/v1/mentors"),
        headers=coordinator.headers,
    )
    assert mentor.status_code == 201, mentor.text
    again = await client.post(
        "/api/v1/mentors",
        json=_request_example(document, "post", "/api/v1/mentors"),
        headers=coordinator.headers,
    )
    assert again.status_code == 409
    assert again.json() in _problem_examples(document, "post", "/api/v1/mentors", 409)
    answer = await client.patch(
        f"/api/v1/mentors/{mentor.json()['id']}",
        json={"nickname": "Marie"},
        headers=coordinator.headers,
    )
    assert answer.status_code == 422
    documented = _problem_example(document, "patch", "/api/v1/mentors/{profile_id}", 422)
    assert answer.json()["errors"] == documented["errors"]


def _request_example(document: dict[str, Any], method: str, path: str) -> Any:
    body = document["paths"][path][method]["requestBody"]
    return body["content"]["application/json"]["example"]


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/api/v1/hubs", "admin"),
        ("/api/v1/mentors", "coordinator"),
        ("/api/v1/mentees", "coordinator"),
    ],
)
async def test_a_create_example_is_accepted_as_it_stands(client, path, role):
    """What Swagger UI's "Try it out" pre-fills creates the thing (ids aside: a coordinator's
    profile goes to their own hub, so the example's hub_id, an admin's field, is left out)."""
    document = _document()
    hub = await make_hub("laurentides")
    caller = await login_as(client, role, hub if role != "admin" else None)
    example = dict(_request_example(document, "post", path))
    example.pop("hub_id", None)
    answer = await client.post(path, json=example, headers=caller.headers)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    for field, value in example.items():
        assert created[field] == value, field
    # The documented answer says the same of what was sent.
    documented = document["paths"][path]["post"]["responses"]["201"]
    answer_example = documented["content"]["application/json"]["example"]
    for field, value in example.items():
        assert answer_example[field] == value, field


async def test_the_login_example_logs_in_with_its_own_fields(client):
    document = _document()
    body = document["paths"]["/api/v1/auth/token"]["post"]["requestBody"]
    form = body["content"]["application/x-www-form-urlencoded"]["examples"]["password"]["value"]
    hub = await make_hub()
    await make_user(
        "coordinator",
        hub,
        email=form["username"],
        password_hash=password_hasher().hash(form["password"]),
    )
    answer = await client.post("/api/v1/auth/token", data=form)
    assert answer.status_code == 200, answer.text
    documented = document["paths"]["/api/v1/auth/token"]["post"]["responses"]["200"]
    shape = documented["content"]["application/json"]["example"]
    assert set(answer.json()) == set(shape)
    assert answer.json()["token_type"] == shape["token_type"]
    assert answer.json()["expires_in"] == shape["expires_in"]
