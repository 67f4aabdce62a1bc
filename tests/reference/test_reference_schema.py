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


def test_codes_of_hubs_clients_suggestions_runs_and_logs_are_enums_too():
    from app.matching.assignment import UNMATCHED_REASONS
    from app.notifications.rendering import KINDS
    from app.outbox.catalogue import WEBHOOK_EVENT_TYPES
    from app.reference.catalog import API_SCOPES

    document = create_app().openapi()
    schemas = document["components"]["schemas"]
    for model in ("HubCreate", "HubUpdate", "HubRead"):
        assert _codes(schemas[model]["properties"]["regions"]) == list(CATALOG["regions"]), model
    for model in ("ApiClientCreate", "ApiClientRead", "ApiClientCreated"):
        assert _codes(schemas[model]["properties"]["scopes"]) == list(API_SCOPES), model
    suggested = schemas["SuggestedMentor"]["properties"]
    assert _codes(suggested["regions_served"]) == list(CATALOG["regions"])
    assert _codes(suggested["expertise"]) == list(CATALOG["themes"])
    assert _codes(suggested["languages"]) == list(CATALOG["languages"])
    reasons = _codes(schemas["UnmatchedMentee"]["properties"]["reason"])
    assert reasons == [*UNMATCHED_REASONS, "mentee_not_waiting"]
    assert "ended_early" in _codes(schemas["HistoryEntry"]["properties"]["action"])
    assert _codes(schemas["HealthRead"]["properties"]["reasons"]) == [
        "no_recent_session",
        "behind_cadence",
        "midpoint_review_due",
        "follow_up_due",
    ]
    assert _codes(schemas["NotificationRead"]["properties"]["template"]) == list(KINDS)
    delivery = schemas["WebhookDeliveryRead"]["properties"]["event_type"]
    assert _codes(delivery) == list(WEBHOOK_EVENT_TYPES)
    # The filters on those codes are enums as well.
    paths = document["paths"]
    filters = {
        ("/api/v1/hubs", "region"): list(CATALOG["regions"]),
        ("/api/v1/notifications", "template"): list(KINDS),
        ("/api/v1/webhooks/{webhook_id}/deliveries", "event_type"): list(WEBHOOK_EVENT_TYPES),
    }
    for (path, name), codes in filters.items():
        parameter = next(p for p in paths[path]["get"]["parameters"] if p["name"] == name)
        assert _codes(parameter["schema"]) == codes, (path, name)


async def test_an_unknown_code_in_a_filter_is_422_naming_it(client):
    import uuid

    from tests.factories import login_as, make_hub

    hub = await make_hub()
    admin = await login_as(client, "admin")
    coord = await login_as(client, "coordinator", hub)
    r = await client.get("/api/v1/notifications?template=newsletter", headers=admin.headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "template"]
    r = await client.get("/api/v1/notifications?template=digest", headers=admin.headers)
    assert r.status_code == 200
    # The filter is checked before the webhook is looked up.
    r = await client.get(
        f"/api/v1/webhooks/{uuid.uuid4()}/deliveries?event_type=match.exploded",
        headers=coord.headers,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "event_type"]
    r = await client.get("/api/v1/hubs?region=18", headers=admin.headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "region"]
