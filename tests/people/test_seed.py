"""`mentorat seed-demo`: French demo people over three hubs, with linked demo logins."""

from app.people.validation import normalise_search
from app.seed import DEMO_PASSWORD, seed_demo
from tests.factories import token_for
from tests.people.common import API


async def _headers(client, email):
    return {"Authorization": f"Bearer {await token_for(client, email, DEMO_PASSWORD)}"}


async def test_seed_writes_people_with_linked_logins(client):
    report = await seed_demo(mentors=9, mentees=12)
    assert report.created
    logins = {login for _, login, _ in report.logins}
    assert {"mentor@montreal.example", "mentee@bas-saint-laurent.example"} <= logins
    admin = await _headers(client, "admin@mentorat.example")
    mentors = (await client.get(f"{API}/mentors?include_total=true", headers=admin)).json()
    mentees = (await client.get(f"{API}/mentees?limit=200", headers=admin)).json()
    assert mentors["total"] == 9
    assert len(mentees["items"]) == 12
    hubs = (await client.get(f"{API}/hubs", headers=admin)).json()["items"]
    regions = {hub["id"]: set(hub["regions"]) for hub in hubs}
    for mentee in mentees["items"]:
        assert mentee["region"] in regions[mentee["hub_id"]]
        assert mentee["status"] in ("applicant", "waiting", "matched", "active")
        assert mentee["languages"] and mentee["needs"]
        # search_text was computed as the service computes it: the accented name is found.
        query = normalise_search(f"{mentee['first_name']} {mentee['last_name']}")
        found = await client.get(f"{API}/mentees", params={"q": query}, headers=admin)
        assert mentee["id"] in {m["id"] for m in found.json()["items"]}
    for mentor in mentors["items"]:
        assert 1 <= mentor["capacity"] <= 3
        assert set(mentor["regions_served"]) <= regions[mentor["hub_id"]]
    me = await _headers(client, "mentor@montreal.example")
    own = (await client.get(f"{API}/mentors", headers=me)).json()["items"]
    assert len(own) == 1
    assert own[0]["status"] == "active"
    assert own[0]["trained_on"] and own[0]["ethics_signed_on"]
    mentee_me = await _headers(client, "mentee@capitale-nationale.example")
    own_mentee = (await client.get(f"{API}/mentees", headers=mentee_me)).json()["items"]
    # Each hub's demo pair has a match: proposed, or (Montréal) active with sessions.
    assert [m["status"] for m in own_mentee] == ["matched"]
    montreal = await _headers(client, "mentee@montreal.example")
    matches = (await client.get(f"{API}/matches", headers=montreal)).json()["items"]
    assert [m["status"] for m in matches] == ["active"]
    sessions = (await client.get(f"{API}/sessions", headers=montreal)).json()["items"]
    assert sorted(s["status"] for s in sessions) == ["held", "held", "scheduled"]
    assert all(s["agenda"] for s in sessions)
    coord = await _headers(client, "coordination@bas-saint-laurent.example")
    listed = (await client.get(f"{API}/mentees?include_total=true", headers=coord)).json()
    assert listed["total"] == 4
    again = await seed_demo(if_empty=True)
    assert not again.created
