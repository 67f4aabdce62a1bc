"""Matching runs only propose; applying one re-checks every rule and reports what it skipped."""

from __future__ import annotations

from tests.factories import login_as, make_hub
from tests.helpers import assert_names_field, assert_problem
from tests.matches.common import mentee_status
from tests.matches.helpers import make_mentee, make_mentor, participant, propose

RUNS = "/api/v1/matching-runs"


async def _cohort(client):  # type: ignore[no-untyped-def]
    """Two one-place mentors where greedy's first pick blocks a better whole.

    `ace` fits both mentees best but speaks the only language `solo` shares with anyone, so
    greedy gives `ace` to `first` and leaves `solo` alone; the optimum pairs both.
    """
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    ace = await make_mentor(hub, last_name="Ace", capacity=1, languages=["fr", "en"])
    other = await make_mentor(
        hub, last_name="Other", capacity=1, expertise=["governance"], years_experience=5
    )
    first = await make_mentee(hub, needs=["governance", "finance"])
    solo = await make_mentee(
        hub, languages=["en"], needs=["marketing"], sector="culture", region="01"
    )
    lost = await make_mentee(hub, languages=["es"])
    await make_mentee(hub, status="applicant")
    return hub, coord, (ace, other), (first, solo, lost)


async def _run(client, coord, **body):  # type: ignore[no-untyped-def]
    r = await client.post(RUNS, json=body, headers=coord.headers)
    assert r.status_code == 201, r.text
    return r.json()


async def test_a_run_proposes_the_best_whole_and_writes_no_match(client):
    _hub, coord, (ace, other), (first, solo, lost) = await _cohort(client)
    run = await _run(client, coord)
    pairs = {(p["mentee_id"], p["mentor_id"]) for p in run["proposals"]}
    assert pairs == {(str(first.id), str(other.id)), (str(solo.id), str(ace.id))}
    assert run["total_score"] == round(sum(p["score"] for p in run["proposals"]), 1)
    assert run["total_score"] > run["greedy_total"] > 0
    assert run["exact"] is True
    assert run["status"] == "proposed" and run["apply_report"] is None
    assert run["unmatched"] == [{"mentee_id": str(lost.id), "reason": "no_feasible_mentor"}]
    for p in run["proposals"]:
        assert set(p["breakdown"]) >= {"needs", "proximity"}
    listed = await client.get("/api/v1/matches", headers=coord.headers)
    assert listed.json()["items"] == []
    assert await mentee_status(client, coord, first) == "waiting"
    again = await client.get(f"{RUNS}/{run['id']}", headers=coord.headers)
    assert again.status_code == 200, again.text
    assert again.json()["proposals"] == run["proposals"]
    assert again.json()["total_score"] == run["total_score"]


async def test_a_run_for_chosen_mentees_with_a_minimum_score(client):
    hub, coord, _, (first, _solo, _lost) = await _cohort(client)
    applicant = await make_mentee(hub, status="applicant")
    run = await _run(client, coord, mentee_ids=[str(first.id), str(applicant.id)])
    assert [p["mentee_id"] for p in run["proposals"]] == [str(first.id)]
    assert {"mentee_id": str(applicant.id), "reason": "mentee_not_waiting"} in run["unmatched"]
    strict = await _run(client, coord, mentee_ids=[str(first.id)], min_score=100)
    assert strict["proposals"] == []
    assert strict["unmatched"] == [{"mentee_id": str(first.id), "reason": "below_min_score"}]


async def test_run_bodies_are_validated(client):
    hub, coord, _, _ = await _cohort(client)
    far = await make_mentee(await make_hub())
    r = await client.post(RUNS, json={"mentee_ids": [str(far.id)]}, headers=coord.headers)
    assert_names_field(r, 0)
    r = await client.post(RUNS, json={"weights": {"charisma": 1}}, headers=coord.headers)
    assert_names_field(r, "weights")
    r = await client.post(RUNS, json={"min_score": 101}, headers=coord.headers)
    assert_names_field(r, "min_score")
    elsewhere = await make_hub()
    r = await client.post(RUNS, json={"hub_id": str(elsewhere.id)}, headers=coord.headers)
    assert_names_field(r, "hub_id")
    admin = await login_as(client, "admin")
    assert_names_field(await client.post(RUNS, json={}, headers=admin.headers), "hub_id")
    r = await client.post(RUNS, json={"hub_id": str(hub.id)}, headers=admin.headers)
    assert r.status_code == 201, r.text


async def test_apply_creates_the_proposals_once(client):
    _hub, coord, _, (first, _solo, _) = await _cohort(client)
    run = await _run(client, coord)
    r = await client.post(f"{RUNS}/{run['id']}/apply", headers=coord.headers)
    assert r.status_code == 200, r.text
    report = r.json()["apply_report"]
    assert r.json()["status"] == "applied"
    assert len(report["created"]) == 2 and report["skipped"] == []
    listed = await client.get("/api/v1/matches", headers=coord.headers)
    matches = listed.json()["items"]
    assert {m["id"] for m in matches} == set(report["created"])
    assert {m["status"] for m in matches} == {"proposed"}
    assert {m["matching_run_id"] for m in matches} == {run["id"]}
    by_mentee = {p["mentee_id"]: p["score"] for p in run["proposals"]}
    assert {m["mentee_id"]: m["score"] for m in matches} == by_mentee
    assert await mentee_status(client, coord, first) == "matched"
    again = await client.post(f"{RUNS}/{run['id']}/apply", headers=coord.headers)
    assert_problem(again, 409, "invalid-transition")
    assert len((await client.get("/api/v1/matches", headers=coord.headers)).json()["items"]) == 2


async def test_apply_skips_what_changed_in_between(client):
    hub, coord, (ace, other), (first, solo, _) = await _cohort(client)
    run = await _run(client, coord)
    # meanwhile: `first` is proposed by hand, and `ace` is given a mentee of its own
    third = await make_mentor(hub)
    assert (await propose(client, coord, third, first)).status_code == 201
    assert (
        await propose(client, coord, ace, await make_mentee(hub, languages=["en"]))
    ).status_code == 201
    r = await client.post(f"{RUNS}/{run['id']}/apply", headers=coord.headers)
    assert r.status_code == 200, r.text
    report = r.json()["apply_report"]
    assert report["created"] == []
    skipped = {(s["mentee_id"], s["mentor_id"]): s["reason"] for s in report["skipped"]}
    assert skipped == {
        (str(first.id), str(other.id)): "mentee-has-open-match",
        (str(solo.id), str(ace.id)): "capacity-reached",
    }
    assert await mentee_status(client, coord, solo) == "waiting"


async def test_apply_rechecks_a_lowered_capacity_and_a_paused_mentor(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    busy = await make_mentor(hub, capacity=2, languages=["fr"])
    paused = await make_mentor(hub, capacity=1, languages=["es"])
    fr = [await make_mentee(hub) for _ in range(2)]
    es = await make_mentee(hub, languages=["es"])
    run = await _run(client, coord)
    assert len(run["proposals"]) == 3
    for mentor, change in ((busy, {"capacity": 1}), (paused, {"status": "paused"})):
        r = await client.patch(f"/api/v1/mentors/{mentor.id}", json=change, headers=coord.headers)
        assert r.status_code == 200, r.text
    r = await client.post(f"{RUNS}/{run['id']}/apply", headers=coord.headers)
    assert r.status_code == 200, r.text
    report = r.json()["apply_report"]
    assert len(report["created"]) == 1
    reasons = sorted(s["reason"] for s in report["skipped"])
    assert reasons == ["capacity-reached", "mentor-not-eligible"]
    assert {s["mentee_id"] for s in report["skipped"]} >= {str(es.id)}
    assert {await mentee_status(client, coord, m) for m in fr} == {"matched", "waiting"}


async def test_runs_are_for_the_hubs_staff(client):
    hub, coord, (ace, _), (_first, _, _) = await _cohort(client)
    run = await _run(client, coord)
    me = await participant(client, "mentor", hub, ace.id)
    assert_problem(await client.post(RUNS, json={}, headers=me.headers), 403, "forbidden")
    assert_problem(await client.get(f"{RUNS}/{run['id']}", headers=me.headers), 404)
    assert_problem(await client.post(f"{RUNS}/{run['id']}/apply", headers=me.headers), 404)
    elsewhere = await login_as(client, "coordinator", await make_hub())
    assert_problem(await client.get(f"{RUNS}/{run['id']}", headers=elsewhere.headers), 404)
    r = await client.post(f"{RUNS}/{run['id']}/apply", headers=elsewhere.headers)
    assert_problem(r, 404, "not-found")
    assert (await client.get("/api/v1/matches", headers=coord.headers)).json()["items"] == []
