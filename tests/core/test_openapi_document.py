"""The OpenAPI document a front-end team generates its client from says what the API does."""

from __future__ import annotations

from typing import Any

from app.main import create_app

PUBLIC = {
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/api/v1/reference"),
    ("get", "/api/v1/testimonials"),
    ("get", "/api/v1/calendar/{token}.ics"),
    ("post", "/api/v1/auth/token"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/accept-invitation"),
    ("post", "/api/v1/auth/password-reset"),
    ("post", "/api/v1/auth/password-reset/confirm"),
}


def _document() -> dict[str, Any]:
    return create_app().openapi()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_list_answers_a_typed_page_of_its_items():
    document = _document()
    schemas = document["components"]["schemas"]
    pages = {name: schema for name, schema in schemas.items() if name.startswith("Page_")}
    assert len(pages) >= 11
    for name, page in pages.items():
        item = name.removeprefix("Page_").removesuffix("_")
        assert page["type"] == "object", name
        assert page["properties"]["items"] == {
            "type": "array",
            "items": {"$ref": f"#/components/schemas/{item}"},
            "title": "Items",
        }, name
        assert page["properties"]["next_cursor"]["anyOf"] == [
            {"type": "string"},
            {"type": "null"},
        ]
        # Always in the answer: items and next_cursor (null on the last page); total only
        # with include_total=true.
        assert page["required"] == ["items", "next_cursor"], name
        assert "total" in page["properties"], name
    # Each list operation answers its page.
    listed = document["paths"]["/api/v1/mentors"]["get"]["responses"]["200"]
    assert listed["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Page_MentorRead_"
    }


async def test_a_page_has_next_cursor_always_and_total_only_when_asked(client):
    from tests.factories import login_as

    admin = await login_as(client, "admin")
    plain = (await client.get("/api/v1/hubs", headers=admin.headers)).json()
    assert set(plain) == {"items", "next_cursor"}
    counted = (await client.get("/api/v1/hubs?include_total=true", headers=admin.headers)).json()
    assert set(counted) == {"items", "next_cursor", "total"}


def test_each_operation_declares_how_to_call_it():
    document = _document()
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"]["type"] == "http" and schemes["bearer"]["scheme"] == "bearer"
    assert schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    public = set()
    for method, path, operation in _operations(document):
        assert "security" in operation, (method, path)
        if operation["security"] == []:
            public.add((method, path))
        else:
            assert {"bearer": []} in operation["security"], (method, path)
            assert {"OAuth2PasswordBearer": []} in operation["security"], (method, path)
            assert "401" in operation["responses"], (method, path)
    assert public == PUBLIC
    assert document["servers"] == [{"url": "/", "description": "This server"}]


def test_every_tag_is_described_and_every_operation_summarised():
    document = _document()
    described = {tag["name"]: tag["description"] for tag in document["tags"]}
    for method, path, operation in _operations(document):
        assert operation.get("summary"), (method, path)
        assert operation.get("description"), (method, path)
        assert operation["tags"], (method, path)
        assert all(described.get(tag) for tag in operation["tags"]), (method, path)
