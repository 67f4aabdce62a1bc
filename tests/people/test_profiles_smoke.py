"""Creating, reading, searching and changing profiles through the API."""

from tests.factories import login_as, make_hub


def mentor_body(**extra):
    body = {
        "first_name": "Véronique",
        "last_name": "Côté",
        "email": "veronique@example.org",
        "languages": ["fr"],
        "expertise": ["governance", "finance"],
        "regions_served": ["06"],
        "capacity": 2,
    }
    body.update(extra)
    return body


async def test_coordinator_creates_and_searches_mentor(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    response = await client.post("/api/v1/mentors", json=mentor_body(), headers=coord.headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["hub_id"] == str(hub.id)
    assert created["consent"] is None
    assert response.headers["etag"] == '"1"'
    found = await client.get(
        "/api/v1/mentors", params={"q": "veronique cote"}, headers=coord.headers
    )
    assert found.status_code == 200, found.text
    assert [m["id"] for m in found.json()["items"]] == [created["id"]]
    by_theme = await client.get(
        "/api/v1/mentors", params={"theme": "finance", "region": "06"}, headers=coord.headers
    )
    assert len(by_theme.json()["items"]) == 1
    none = await client.get("/api/v1/mentors", params={"theme": "legal"}, headers=coord.headers)
    assert none.json()["items"] == []
