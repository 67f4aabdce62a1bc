"""Suggestions for one mentee: ranked, scored, explained in both languages, with exclusions."""

from __future__ import annotations

from tests.factories import login_as, make_hub
from tests.helpers import EN, assert_problem
from tests.matches.common import act
from tests.matches.helpers import make_mentee, make_mentor, participant, propose

CRITERIA = {"needs", "sector", "legal_form", "proximity", "availability", "experience"}
EXCLUSIONS = {
    "mentor_not_eligible",
    "capacity_reached",
    "no_common_language",
    "conflict_of_interest",
    "pair_previously_ended",
}


async def _hub_with_candidates(client):  # type: ignore[no-untyped-def]
    """A mentee, three feasible mentors of unequal fit, and one mentor excluded per rule."""
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentee = await make_mentee(
        hub,
        needs=["governance", "finance"],
        organization_name="Coopérative du Fjord",
        availability=["mon_am", "tue_pm", "wed_am"],
    )
    best = await make_mentor(
        hub, last_name="Best", availability=["mon_am", "tue_pm", "wed_am"], years_experience=20
    )
    middle = await make_mentor(
        hub, last_name="Middle", expertise=["governance"], sectors=[], availability=["mon_am"]
    )
    weak = await make_mentor(
        hub,
        last_name="Weak",
        expertise=["marketing"],
        sectors=[],
        legal_forms_known=[],
        regions_served=["01"],
        availability=["sun_eve"],
        years_experience=1,
    )
    await make_mentor(hub, status="candidate")
    full = await make_mentor(hub, capacity=1)
    assert (await propose(client, coord, full, await make_mentee(hub))).status_code == 201
    await make_mentor(hub, languages=["en"])
    await make_mentor(hub, excluded_organizations=["cooperative du fjord"])
    declined = await make_mentor(hub)
    r = await propose(client, coord, declined, mentee)
    assert r.status_code == 201, r.text
    r = await act(client, coord, r.json()["id"], "decline", {"reason": "Non", "side": "mentee"})
    assert r.status_code == 200, r.text
    return hub, coord, mentee, (best, middle, weak)


async def test_suggestions_are_ranked_scored_and_explained(client):
    _hub, coord, mentee, (best, middle, weak) = await _hub_with_candidates(client)
    r = await client.get(f"/api/v1/mentees/{mentee.id}/suggestions?limit=5", headers=coord.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    ids = [item["mentor_id"] for item in body["items"]]
    assert ids == [str(best.id), str(middle.id), str(weak.id)]
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 3
    for item in body["items"]:
        assert 0 <= item["score"] <= 100
        assert set(item["breakdown"]) == CRITERIA
        points = sum(c["points"] for c in item["breakdown"].values())
        assert abs(points - item["score"]) < 0.2, item
        for criterion in item["breakdown"].values():
            assert 0 <= criterion["value"] <= 1
        assert item["reasons"] and all(isinstance(x, str) for x in item["reasons"])
        assert "capacity" in item["mentor"] and "open_matches" in item["mentor"]
    assert body["considered"] == 8
    assert body["feasible"] == 3
    assert body["excluded"] == {name: 1 for name in EXCLUSIONS}


async def test_reasons_are_in_french_by_default_and_english_on_request(client):
    _, coord, mentee, (_best, _, _) = await _hub_with_candidates(client)
    url = f"/api/v1/mentees/{mentee.id}/suggestions?limit=1"
    french = (await client.get(url, headers=coord.headers)).json()["items"][0]["reasons"]
    english = (await client.get(url, headers={**coord.headers, **EN})).json()["items"][0]["reasons"]
    assert any("besoins" in reason for reason in french), french
    assert any("needs" in reason for reason in english), english
    assert any("ans d'expérience" in reason for reason in french), french
    assert any("years of experience" in reason for reason in english), english
    assert french != english
    # codes are shown with the reference labels, not raw codes
    assert any("Gouvernance" in reason or "gouvernance" in reason for reason in french), french


async def test_limit_is_honoured_and_bounded(client):
    _, coord, mentee, (best, _, _) = await _hub_with_candidates(client)
    url = f"/api/v1/mentees/{mentee.id}/suggestions"
    one = await client.get(f"{url}?limit=1", headers=coord.headers)
    assert [i["mentor_id"] for i in one.json()["items"]] == [str(best.id)]
    assert len((await client.get(url, headers=coord.headers)).json()["items"]) == 3
    assert_problem(await client.get(f"{url}?limit=0", headers=coord.headers), 422)
    assert_problem(await client.get(f"{url}?limit=500", headers=coord.headers), 422)


async def test_hub_weights_change_the_ranking(client):
    hub = await make_hub(matching_weights={"experience": 10.0, "needs": 0.0})
    coord = await login_as(client, "coordinator", hub)
    mentee = await make_mentee(hub)
    veteran = await make_mentor(hub, expertise=["marketing"], years_experience=30)
    await make_mentor(hub, years_experience=1)
    r = await client.get(f"/api/v1/mentees/{mentee.id}/suggestions", headers=coord.headers)
    assert r.status_code == 200, r.text
    assert r.json()["items"][0]["mentor_id"] == str(veteran.id)
    assert r.json()["weights"]["needs"] == 0.0


async def test_suggestions_are_for_staff_only(client):
    hub, _coord, mentee, (best, _, _) = await _hub_with_candidates(client)
    url = f"/api/v1/mentees/{mentee.id}/suggestions"
    me = await participant(client, "mentee", hub, mentee.id)
    assert_problem(await client.get(url, headers=me.headers), 403, "forbidden")
    mentor = await participant(client, "mentor", hub, best.id)
    r = await client.get(url, headers=mentor.headers)
    assert r.status_code in (403, 404), r.text
    elsewhere = await login_as(client, "coordinator", await make_hub())
    assert_problem(await client.get(url, headers=elsewhere.headers), 404, "not-found")
    admin = await login_as(client, "admin")
    assert (await client.get(url, headers=admin.headers)).status_code == 200
