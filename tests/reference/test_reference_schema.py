"""GET /reference has a real schema: each list's codes are an enum a client generator keeps."""

from __future__ import annotations

from app.main import create_app
from app.reference.catalog import CATALOG


def test_the_document_lists_every_code_of_every_list_as_an_enum():
    document = create_app().openapi()
    schemas = document["components"]["schemas"]
    answer = document["paths"]["/api/v1/reference"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReferenceRead"
    }
    reference = schemas["ReferenceRead"]
    assert reference["required"] == list(CATALOG)
    for name, entries in CATALOG.items():
        entry = reference["properties"][name]["items"]["$ref"].rsplit("/", 1)[1]
        assert schemas[entry]["properties"]["code"]["enum"] == list(entries), name
        assert schemas[entry]["required"] == ["code", "label", "labels"]


async def test_the_answer_is_the_catalog_in_both_languages(client):
    r = await client.get("/api/v1/reference", headers={"Accept-Language": "en"})
    assert r.status_code == 200
    body = r.json()
    assert list(body) == list(CATALOG)
    worker = next(e for e in body["legal_forms"] if e["code"] == "worker_coop")
    assert worker == {
        "code": "worker_coop",
        "label": "Worker co-operative",
        "labels": {"fr": "Coopérative de travail", "en": "Worker co-operative"},
    }


def _codes(schema: dict) -> list[str]:
    """The enum of a code field (a string, a list of strings, or either or null)."""
    for option in schema.get("anyOf", [schema]):
        if option.get("type") == "array":
            return list(option["items"]["enum"])
        if option.get("type") == "string":
            return list(option["enum"])
    raise AssertionError(schema)


def test_code_fields_of_requests_and_answers_are_enums_of_their_lists():
    from app.outbox.catalogue import WEBHOOK_EVENT_TYPES

    schemas = create_app().openapi()["components"]["schemas"]
    lists = {
        "languages": "languages",
        "meeting_modes": "meeting_modes",
        "availability": "availability_slots",
        "expertise": "themes",
        "sectors": "sectors",
        "legal_forms_known": "legal_forms",
        "regions_served": "regions",
    }
    for model in ("MentorCreate", "MentorUpdate", "MentorRead"):
        for field, name in lists.items():
            assert _codes(schemas[model]["properties"][field]) == list(CATALOG[name]), (
                model,
                field,
            )
    mentee = {"legal_form": "legal_forms", "sector": "sectors", "region": "regions"}
    mentee["needs"] = "themes"
    for model in ("MenteeCreate", "MenteeUpdate", "MenteeRead"):
        for field, name in mentee.items():
            assert _codes(schemas[model]["properties"][field]) == list(CATALOG[name]), (
                model,
                field,
            )
    for model in ("WebhookCreate", "WebhookUpdate", "WebhookRead"):
        assert _codes(schemas[model]["properties"]["events"]) == list(WEBHOOK_EVENT_TYPES)


async def test_an_unknown_code_is_still_refused_with_the_list_it_belongs_to(client):
    from tests.factories import login_as, make_hub

    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    r = await client.post(
        "/api/v1/webhooks",
        json={"url": "https://crm.example.org/hooks", "events": ["match.exploded"]},
        headers=coord.headers,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "events"]
    assert "webhook_event_types" in r.json()["errors"][0]["msg"]
