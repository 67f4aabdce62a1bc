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
