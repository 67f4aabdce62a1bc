"""Who sees which evaluations: the author, the hub's staff, admins; partners only via reports."""

from tests.evaluations.common import API, a_match, evaluate
from tests.factories import login_as, make_hub
from tests.helpers import assert_problem, client_token


async def _listed(client, who, match_id):
    response = await client.get(f"{API}/matches/{match_id}/evaluations", headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def _both_evaluated(client):
    pair = await a_match(client)
    mentor_eval = await evaluate(client, pair.mentor_login, pair.id, satisfaction=3)
    mentee_eval = await evaluate(client, pair.mentee_login, pair.id, testimonial="Merci !")
    return pair, mentor_eval, mentee_eval


async def test_each_participant_sees_only_their_own(client):
    pair, mentor_eval, mentee_eval = await _both_evaluated(client)
    mine = await _listed(client, pair.mentor_login, pair.id)
    assert [e["id"] for e in mine] == [mentor_eval["id"]]
    mine = await _listed(client, pair.mentee_login, pair.id)
    assert [e["id"] for e in mine] == [mentee_eval["id"]]
    assert mine[0]["testimonial"] == "Merci !"


async def test_the_other_side_s_evaluation_stays_hidden_even_before_one_writes(client):
    pair = await a_match(client)
    await evaluate(client, pair.mentee_login, pair.id, learnings="Confidentiel")
    assert await _listed(client, pair.mentor_login, pair.id) == []


async def test_the_hub_s_coordinator_and_admins_see_both(client):
    pair, mentor_eval, mentee_eval = await _both_evaluated(client)
    admin = await login_as(client, "admin")
    for who in (pair.coord, admin):
        seen = await _listed(client, who, pair.id)
        assert {e["id"] for e in seen} == {mentor_eval["id"], mentee_eval["id"]}
        assert {e["author_role"] for e in seen} == {"mentor", "mentee"}


async def test_another_hub_s_coordinator_gets_404(client):
    pair, _, _ = await _both_evaluated(client)
    stranger = await login_as(client, "coordinator", await make_hub())
    response = await client.get(f"{API}/matches/{pair.id}/evaluations", headers=stranger.headers)
    assert_problem(response, 404, "not-found")


async def test_participants_of_another_match_get_404(client):
    pair, _, _ = await _both_evaluated(client)
    other = await a_match(client, hub=pair.hub)
    for who in (other.mentor_login, other.mentee_login):
        response = await client.get(f"{API}/matches/{pair.id}/evaluations", headers=who.headers)
        assert_problem(response, 404, "not-found")


async def test_an_unknown_match_is_404(client):
    admin = await login_as(client, "admin")
    response = await client.get(
        f"{API}/matches/00000000-0000-4000-8000-000000000000/evaluations", headers=admin.headers
    )
    assert_problem(response, 404, "not-found")


async def test_api_clients_get_403_even_in_their_own_hub(client):
    pair, _, _ = await _both_evaluated(client)
    token = await client_token(client, pair.coord.headers, pair.hub.id)
    response = await client.get(
        f"{API}/matches/{pair.id}/evaluations", headers={"Authorization": f"Bearer {token}"}
    )
    assert_problem(response, 403, "forbidden")


async def test_the_list_is_paginated(client):
    pair, _, _ = await _both_evaluated(client)
    url = f"{API}/matches/{pair.id}/evaluations"
    first = await client.get(url, params={"limit": 1}, headers=pair.coord.headers)
    assert len(first.json()["items"]) == 1 and first.json()["next_cursor"]
    second = await client.get(
        url, params={"limit": 1, "cursor": first.json()["next_cursor"]}, headers=pair.coord.headers
    )
    assert len(second.json()["items"]) == 1 and second.json()["next_cursor"] is None
    assert second.json()["items"][0]["id"] != first.json()["items"][0]["id"]
    bad = await client.get(url, params={"limit": 0}, headers=pair.coord.headers)
    assert_problem(bad, 422, "validation-error")


async def test_the_person_s_export_holds_their_evaluations_only(client):
    pair, mentor_eval, mentee_eval = await _both_evaluated(client)
    response = await client.get(
        f"{API}/mentees/{pair.mentee.id}/export", headers=pair.mentee_login.headers
    )
    assert response.status_code == 200, response.text
    exported = response.json()["evaluations"]
    assert [e["id"] for e in exported] == [mentee_eval["id"]]
    assert exported[0]["testimonial"] == "Merci !"
    response = await client.get(
        f"{API}/mentors/{pair.mentor.id}/export", headers=pair.coord.headers
    )
    assert [e["id"] for e in response.json()["evaluations"]] == [mentor_eval["id"]]
