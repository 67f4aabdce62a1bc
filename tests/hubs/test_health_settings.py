"""A hub sets when its matches count as at risk or stalled."""

from tests.factories import login_as, make_hub


async def test_coordinator_sets_health_thresholds_of_own_hub(client):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    url = f"/api/v1/hubs/{hub.id}"
    before = await client.get(url, headers=coordinator.headers)
    assert before.json()["health_at_risk_days"] == 45
    assert before.json()["health_stalled_days"] == 90
    changed = await client.patch(
        url,
        json={"health_at_risk_days": 30, "health_stalled_days": 60},
        headers=coordinator.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["health_at_risk_days"] == 30


async def test_stalled_must_come_after_at_risk(client):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    refused = await client.patch(
        f"/api/v1/hubs/{hub.id}", json={"health_stalled_days": 40}, headers=coordinator.headers
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "health_stalled_days"]
