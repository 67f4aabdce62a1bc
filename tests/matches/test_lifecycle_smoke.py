"""A match goes from proposal to completion, and the mentee's status follows."""

from tests.factories import login_as, make_hub
from tests.matches.helpers import make_mentee, make_mentor, participant, propose


async def test_full_lifecycle(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub)
    mentee = await make_mentee(hub)
    created = await propose(client, coord, mentor, mentee)
    assert created.status_code == 201, created.text
    match = created.json()
    assert match["status"] == "proposed"
    assert 0 < match["score"] <= 100
    assert set(match["breakdown"]) >= {"needs", "proximity"}
    me = await participant(client, "mentee", hub, mentee.id)
    mine = await client.get(f"/api/v1/mentees/{mentee.id}", headers=me.headers)
    assert mine.json()["status"] == "matched"
    # the mentee now sees their proposed mentor's profile, reduced
    peer = await client.get(f"/api/v1/mentors/{mentor.id}", headers=me.headers)
    assert peer.status_code == 200, peer.text
    assert "capacity" not in peer.json() and "consent" not in peer.json()
    r = await client.post(f"/api/v1/matches/{match['id']}/accept", headers=me.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "proposed"
    r = await client.post(
        f"/api/v1/matches/{match['id']}/accept", json={"side": "mentor"}, headers=coord.headers
    )
    assert r.json()["status"] == "accepted"
    r = await client.post(
        f"/api/v1/matches/{match['id']}/activate",
        json={"agreement_signed_on": "2026-01-10", "starts_on": "2026-01-15"},
        headers=coord.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["ends_on"] == "2027-01-15"
    r = await client.post(f"/api/v1/matches/{match['id']}/complete", headers=coord.headers)
    assert r.json()["status"] == "completed"
    history = await client.get(f"/api/v1/matches/{match['id']}/history", headers=coord.headers)
    actions = [e["action"] for e in history.json()["items"]]
    assert actions == [
        "proposed",
        "accepted_by_mentee",
        "accepted_by_mentor",
        "activated",
        "completed",
    ]
    mine = await client.get(f"/api/v1/mentees/{mentee.id}", headers=me.headers)
    assert mine.json()["status"] == "completed"
    sugg = await client.get(f"/api/v1/mentees/{mentee.id}/suggestions", headers=coord.headers)
    assert sugg.status_code == 200, sugg.text
