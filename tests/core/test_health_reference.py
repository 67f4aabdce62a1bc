"""Health checks and the reference catalog that front ends read their labels from."""

from __future__ import annotations

EXPECTED_REGIONS = {
    "01": "Bas-Saint-Laurent",
    "03": "Capitale-Nationale",
    "06": "Montréal",
    "16": "Montérégie",
    "17": "Centre-du-Québec",
}


async def test_healthz_and_readyz(client):
    live = await client.get("/healthz")
    ready = await client.get("/readyz")
    assert live.status_code == 200 and live.json() == {"status": "ok"}
    assert ready.status_code == 200 and ready.json()["database"] == "ok"


async def test_reference_lists_the_17_regions_in_both_languages(client):
    response = await client.get("/api/v1/reference")
    assert response.status_code == 200
    regions = response.json()["regions"]
    assert [r["code"] for r in regions] == [f"{n:02d}" for n in range(1, 18)]
    for region in regions:
        assert region["labels"]["fr"] and region["labels"]["en"]
        assert region["label"] == region["labels"]["fr"]
    by_code = {r["code"]: r["labels"]["fr"] for r in regions}
    for code, name in EXPECTED_REGIONS.items():
        assert by_code[code] == name


async def test_reference_labels_follow_accept_language(client):
    fr = (await client.get("/api/v1/reference")).json()
    en = (await client.get("/api/v1/reference", headers={"Accept-Language": "en"})).json()
    assert fr.keys() == en.keys()
    for name in ("regions", "legal_forms", "sectors", "themes", "languages", "meeting_modes"):
        assert fr[name] and [e["code"] for e in fr[name]] == [e["code"] for e in en[name]]
        for entry in en[name]:
            assert entry["label"] == entry["labels"]["en"]
    legal = {e["code"]: e for e in en["legal_forms"]}
    assert legal["worker_coop"]["label"] == "Worker co-operative"
    assert legal["worker_coop"]["labels"]["fr"] == "Coopérative de travail"


async def test_reference_needs_no_login(client):
    response = await client.get("/api/v1/reference")
    assert response.status_code == 200
    assert len(response.json()["availability_slots"]) == 21
