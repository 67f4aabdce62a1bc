"""Suggestions keep up with every change: mentor profiles, capacity taken, declined pairs."""

from tests.factories import login_as, make_hub
from tests.matches.common import act
from tests.matches.helpers import make_mentee, make_mentor, propose


async def suggested(client, coord, mentee):
    r = await client.get(f"/api/v1/mentees/{mentee.id}/suggestions", headers=coord.headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_mentor_paused_through_the_api_leaves_the_suggestions_at_once(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentee = await make_mentee(hub)
    mentor = await make_mentor(hub)
    first = await suggested(client, coord, mentee)
    assert [i["mentor_id"] for i in first["items"]] == [str(mentor.id)]
    paused = await client.patch(
        f"/api/v1/mentors/{mentor.id}", json={"status": "paused"}, headers=coord.headers
    )
    assert paused.status_code == 200, paused.text
    second = await suggested(client, coord, mentee)
    assert second["items"] == []
    assert second["excluded"]["mentor_not_eligible"] == 1
    again = await client.patch(
        f"/api/v1/mentors/{mentor.id}", json={"status": "active"}, headers=coord.headers
    )
    assert again.status_code == 200
    assert [i["mentor_id"] for i in (await suggested(client, coord, mentee))["items"]] == [
        str(mentor.id)
    ]


async def test_capacity_taken_and_declined_pairs_count_at_once(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub, capacity=1)
    first_mentee = await make_mentee(hub)
    other = await make_mentee(hub)
    assert len((await suggested(client, coord, other))["items"]) == 1
    match = (await propose(client, coord, mentor, first_mentee)).json()
    full = await suggested(client, coord, other)
    assert full["items"] == [] and full["excluded"]["capacity_reached"] == 1
    declined = await act(client, coord, match["id"], "decline", {"reason": "Pas le bon moment"})
    assert declined.status_code == 200, declined.text
    assert len((await suggested(client, coord, other))["items"]) == 1
    blocked = await suggested(client, coord, first_mentee)
    assert blocked["items"] == [] and blocked["excluded"]["pair_previously_ended"] == 1
