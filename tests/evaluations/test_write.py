"""Writing one's evaluation: only once the match is closed, once per participant, validated."""

import pytest

from tests.evaluations.common import API, GOOD, a_match, evaluate, put_mine
from tests.factories import login_as, make_hub
from tests.helpers import assert_names_field, assert_problem, client_token


@pytest.mark.parametrize("until", ["proposed", "active"])
async def test_an_open_match_cannot_be_evaluated(client, until):
    pair = await a_match(client, until=until)
    for side in ("mentor", "mentee"):
        response = await put_mine(client, pair.login(side), pair.id, GOOD)
        body = assert_problem(response, 409, "invalid-transition")
        assert until in body["detail"]


@pytest.mark.parametrize("until", ["completed", "ended_early"])
async def test_each_participant_evaluates_a_closed_match(client, until):
    pair = await a_match(client, until=until)
    for side, profile in (("mentor", pair.mentor), ("mentee", pair.mentee)):
        response = await put_mine(client, pair.login(side), pair.id, GOOD)
        assert response.status_code == 201, response.text
        assert response.headers["ETag"] == '"1"'
        body = response.json()
        assert body["match_id"] == pair.id
        assert body["hub_id"] == str(pair.hub.id)
        assert body["author_role"] == side
        assert body["author_profile_id"] == str(profile.id)
        assert (body["satisfaction"], body["goals_met"]) == (5, 4)
        assert body["learnings"] == GOOD["learnings"]
        assert body["testimonial"] is None
        assert body["publish_consent"] is False
        assert body["publish_fields"] == []
        assert body["testimonial_status"] == "none"
        assert body["approved_at"] is None
        assert body["version"] == 1


async def test_a_second_put_replaces_the_evaluation(client):
    pair = await a_match(client)
    first = await evaluate(client, pair.mentee_login, pair.id, testimonial="Premier jet")
    response = await put_mine(
        client, pair.mentee_login, pair.id, {"satisfaction": 2, "goals_met": 3}
    )
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'
    second = response.json()
    assert second["id"] == first["id"]
    assert (second["satisfaction"], second["goals_met"], second["version"]) == (2, 3, 2)
    # a PUT is the whole evaluation: what it leaves out is cleared
    assert second["learnings"] is None and second["testimonial"] is None
    listed = await client.get(
        f"{API}/matches/{pair.id}/evaluations", headers=pair.mentee_login.headers
    )
    assert [e["id"] for e in listed.json()["items"]] == [first["id"]]


async def test_if_match_is_honoured(client):
    pair = await a_match(client)
    me = pair.mentor_login
    stale = await put_mine(client, me, pair.id, GOOD, {"If-Match": '"1"'})
    assert_problem(stale, 412, "precondition-failed")  # nothing to match yet
    await evaluate(client, me, pair.id)
    assert (await put_mine(client, me, pair.id, GOOD, {"If-Match": '"1"'})).status_code == 200
    stale = await put_mine(client, me, pair.id, {**GOOD, "satisfaction": 1}, {"If-Match": '"1"'})
    assert_problem(stale, 412, "precondition-failed")
    listed = await client.get(f"{API}/matches/{pair.id}/evaluations", headers=me.headers)
    assert listed.json()["items"][0]["satisfaction"] == 5
    assert (await put_mine(client, me, pair.id, GOOD, {"If-Match": '"2"'})).status_code == 200


@pytest.mark.parametrize("field", ["satisfaction", "goals_met"])
@pytest.mark.parametrize("value", [0, 6, -1, "beaucoup", None])
async def test_ratings_are_1_to_5(client, field, value):
    pair = await a_match(client)
    response = await put_mine(client, pair.mentee_login, pair.id, {**GOOD, field: value})
    assert_names_field(response, field)


async def test_ratings_are_required(client):
    pair = await a_match(client)
    response = await put_mine(client, pair.mentee_login, pair.id, {"goals_met": 3})
    assert_names_field(response, "satisfaction")


async def test_unknown_publish_fields_are_refused(client):
    pair = await a_match(client)
    body = {**GOOD, "testimonial": "Merci", "publish_fields": ["first_name", "email"]}
    response = await put_mine(client, pair.mentee_login, pair.id, body)
    problem = assert_problem(response, 422, "validation-error")
    assert any("publish_fields" in entry["loc"] for entry in problem["errors"]), problem
    listed = await client.get(
        f"{API}/matches/{pair.id}/evaluations", headers=pair.mentee_login.headers
    )
    assert listed.json()["items"] == []


async def test_publish_fields_are_stored_once_in_a_fixed_order(client):
    pair = await a_match(client)
    chosen = ["organization_name", "first_name", "organization_name"]
    saved = await evaluate(client, pair.mentee_login, pair.id, publish_fields=chosen)
    assert saved["publish_fields"] == ["first_name", "organization_name"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("learnings", "x" * 4001),
        ("testimonial", "x" * 2001),
        ("publish_consent", "peut-être"),
        ("version", 3),
        ("approved_at", "2026-01-01T00:00:00Z"),
        ("author_role", "mentor"),
    ],
)
async def test_invalid_or_unsettable_fields_are_named(client, field, value):
    pair = await a_match(client)
    response = await put_mine(client, pair.mentee_login, pair.id, {**GOOD, field: value})
    assert_names_field(response, field)


async def test_blank_texts_are_absent(client):
    pair = await a_match(client)
    saved = await evaluate(client, pair.mentee_login, pair.id, learnings="  ", testimonial="")
    assert saved["learnings"] is None and saved["testimonial"] is None


async def test_staff_and_partners_do_not_write_evaluations(client):
    pair = await a_match(client)
    admin = await login_as(client, "admin")
    for caller in (pair.coord, admin):
        assert_problem(await put_mine(client, caller, pair.id, GOOD), 403, "forbidden")
    token = await client_token(client, pair.coord.headers, pair.hub.id)
    response = await client.put(
        f"{API}/matches/{pair.id}/evaluations/me",
        json=GOOD,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert_problem(response, 403, "forbidden")


async def test_someone_elses_match_is_not_found(client):
    pair = await a_match(client)
    other = await a_match(client, hub=pair.hub)
    for side in ("mentor", "mentee"):
        response = await put_mine(client, other.login(side), pair.id, GOOD)
        assert_problem(response, 404, "not-found")
    elsewhere = await a_match(client, hub=await make_hub())
    response = await put_mine(client, elsewhere.mentee_login, pair.id, GOOD)
    assert_problem(response, 404, "not-found")


async def test_without_a_token_nothing_is_written(client):
    pair = await a_match(client)
    response = await client.put(f"{API}/matches/{pair.id}/evaluations/me", json=GOOD)
    assert_problem(response, 401)
