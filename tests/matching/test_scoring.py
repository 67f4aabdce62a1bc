"""Criterion values, hard filters and ranking."""

from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

from app.matching.features import MenteeFeatures, MentorFeatures, MentorPool
from app.matching.scoring import (
    EXCLUSION_REASONS,
    NEEDS_NONE_STATED,
    PROXIMITY_REMOTE,
    score_cohort,
    score_matrix,
    score_one,
)
from app.matching.weights import CRITERIA, DEFAULT_WEIGHTS


def mentor(id: str = "m", **kw: Any) -> MentorFeatures:
    """An eligible French-speaking mentor with one free slot."""
    base: dict[str, Any] = {"languages": {"fr"}, "capacity_left": 1, "eligible": True}
    return MentorFeatures(id=id, **(base | kw))


def mentee(id: str = "x", **kw: Any) -> MenteeFeatures:
    """A French-speaking mentee."""
    base: dict[str, Any] = {"languages": {"fr"}}
    return MenteeFeatures(id=id, **(base | kw))


def values(e: MenteeFeatures, m: MentorFeatures) -> dict[str, float]:
    """Criterion values of one pair, through the public ranking."""
    ranking = score_one(e, MentorPool.build([m]), limit=1)
    assert ranking.candidates, ranking.excluded
    return {c: item["value"] for c, item in ranking.candidates[0].breakdown.items()}


def only(criterion: str) -> Mapping[str, float]:
    """Weights counting a single criterion."""
    return {c: (1.0 if c == criterion else 0.0) for c in CRITERIA}


# --- each criterion -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needs", "expertise", "expected"),
    [
        ({"a", "b", "c", "d"}, {"a", "b", "c", "z"}, 0.75),
        ({"a"}, {"a"}, 1.0),
        ({"a", "b"}, {"z"}, 0.0),
        ({"a", "unknown"}, {"a"}, 0.5),  # a need no mentor knows is simply uncovered
        (set(), {"a"}, NEEDS_NONE_STATED),
    ],
)
def test_needs_is_the_share_of_needs_covered(
    needs: set[str], expertise: set[str], expected: float
) -> None:
    assert values(mentee(needs=needs), mentor(expertise=expertise))["needs"] == expected


@pytest.mark.parametrize(
    ("sector", "sectors", "expected"),
    [("food", {"food", "housing"}, 1.0), ("food", {"housing"}, 0.0), (None, {"food"}, 0.0)],
)
def test_sector_is_known_or_not(sector: str | None, sectors: set[str], expected: float) -> None:
    assert values(mentee(sector=sector), mentor(sectors=sectors))["sector"] == expected


@pytest.mark.parametrize(
    ("form", "known", "expected"),
    [("worker_coop", {"worker_coop"}, 1.0), ("nonprofit", {"worker_coop"}, 0.0)],
)
def test_legal_form_is_known_or_not(form: str, known: set[str], expected: float) -> None:
    assert (
        values(mentee(legal_form=form), mentor(legal_forms_known=known))["legal_form"] == expected
    )


@pytest.mark.parametrize(
    ("region", "served", "mentee_modes", "mentor_modes", "expected"),
    [
        ("06", {"06", "13"}, {"in_person"}, {"in_person", "video"}, 1.0),
        ("06", {"06"}, {"in_person", "video"}, {"video"}, PROXIMITY_REMOTE),
        ("06", {"03"}, {"in_person", "phone"}, {"in_person", "phone"}, PROXIMITY_REMOTE),
        ("06", {"03"}, {"in_person"}, {"in_person"}, 0.0),
        ("06", {"06"}, {"phone"}, {"video"}, 0.0),
        (None, {"06"}, {"in_person"}, {"in_person"}, 0.0),
        ("06", {"06"}, set(), {"in_person"}, 0.0),
    ],
)
def test_proximity_prefers_in_person_in_region_then_remote(
    region: str | None,
    served: set[str],
    mentee_modes: set[str],
    mentor_modes: set[str],
    expected: float,
) -> None:
    e = mentee(region=region, meeting_modes=mentee_modes)
    m = mentor(regions_served=served, meeting_modes=mentor_modes)
    assert values(e, m)["proximity"] == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({"mon_am", "tue_pm"}, {"mon_am", "tue_pm", "wed_eve", "thu_eve", "fri_am"}, 1.0),
        ({"mon_am", "tue_pm", "wed_am", "thu_am"}, {"mon_am", "fri_pm", "sat_am", "sun_am"}, 1 / 3),
        ({"mon_am", "tue_am", "wed_am", "thu_am"}, {"mon_am", "tue_am", "fri_am", "sat_am"}, 2 / 3),
        ({"mon_am", "tue_am", "wed_am", "thu_am"}, {"mon_am", "tue_am", "wed_am", "sat_am"}, 1.0),
        ({"mon_am"}, set(), 0.0),
        (set(), set(), 0.0),
        ({"mon_am"}, {"tue_am"}, 0.0),
    ],
)
def test_availability_overlap_over_smallest_set_capped_at_three(
    a: set[str], b: set[str], expected: float
) -> None:
    value = values(mentee(availability=a), mentor(availability=b))["availability"]
    assert value == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(("years", "expected"), [(0, 0.0), (3, 0.2), (15, 1.0), (40, 1.0)])
def test_experience_grows_linearly_to_fifteen_years(years: int, expected: float) -> None:
    assert values(mentee(), mentor(years_experience=years))["experience"] == expected


# --- the score ------------------------------------------------------------------------


def test_perfect_pair_scores_100_and_points_add_up() -> None:
    e = mentee(
        needs={"a"},
        sector="food",
        legal_form="nonprofit",
        region="06",
        meeting_modes={"in_person"},
        availability={"mon_am"},
    )
    m = mentor(
        expertise={"a"},
        sectors={"food"},
        legal_forms_known={"nonprofit"},
        regions_served={"06"},
        meeting_modes={"in_person"},
        availability={"mon_am"},
        years_experience=20,
    )
    best = score_one(e, MentorPool.build([m])).candidates[0]
    assert best.score == 100.0
    assert sum(item["points"] for item in best.breakdown.values()) == pytest.approx(100.0)
    assert {c: item["weight"] for c, item in best.breakdown.items()} == DEFAULT_WEIGHTS


def test_weights_are_relative() -> None:
    e = mentee(needs={"a", "b"}, sector="food")
    m = mentor(expertise={"a"}, sectors={"housing"})
    pool = MentorPool.build([m])
    assert score_one(e, pool, only("needs")).candidates[0].score == 50.0
    assert score_one(e, pool, only("sector")).candidates[0].score == 0.0
    doubled = {"needs": 2.0, "sector": 2.0} | {c: 0.0 for c in CRITERIA[2:]}
    half = {"needs": 1.0, "sector": 1.0} | {c: 0.0 for c in CRITERIA[2:]}
    assert score_one(e, pool, doubled).candidates[0].score == 25.0
    assert score_one(e, pool, half).candidates[0].score == 25.0


def test_vectorised_score_matches_the_breakdown_on_random_pairs() -> None:
    rng = np.random.default_rng(7)
    themes = [f"t{i}" for i in range(70)]  # more than 64: two-word masks

    def pick(items: list[str], k: int) -> set[str]:
        return set(rng.choice(items, size=k, replace=False).tolist())

    slots = [f"{d}_{p}" for d in ("mon", "tue", "wed", "thu", "fri") for p in ("am", "pm")]
    mentors = [
        mentor(
            f"m{j}",
            expertise=pick(themes, int(rng.integers(0, 10))),
            sectors=pick(["s1", "s2", "s3"], int(rng.integers(0, 3))),
            regions_served=pick(["01", "02", "06"], int(rng.integers(0, 3))),
            meeting_modes=pick(["in_person", "video", "phone"], int(rng.integers(0, 4))),
            availability=pick(slots, int(rng.integers(0, 6))),
            years_experience=int(rng.integers(0, 30)),
        )
        for j in range(40)
    ]
    pool = MentorPool.build(mentors)
    weights = {c: float(rng.uniform(0, 10)) for c in CRITERIA}
    for i in range(30):
        e = mentee(
            f"x{i}",
            needs=pick(themes, int(rng.integers(0, 6))),
            sector="s1",
            region="06",
            meeting_modes=pick(["in_person", "video", "phone"], int(rng.integers(0, 4))),
            availability=pick(slots, int(rng.integers(0, 6))),
        )
        for c in score_one(e, pool, weights, limit=40).candidates:
            exact = (
                100
                * sum(item["weight"] * item["value"] for item in c.breakdown.values())
                / sum(weights.values())
            )
            assert c.score == pytest.approx(exact, abs=0.05 + 1e-3)


# --- hard filters ---------------------------------------------------------------------


def test_each_hard_rule_excludes_and_is_counted_once_in_order() -> None:
    e = mentee(organization_name="Coop Élan")
    mentors = [
        mentor("ok"),
        mentor("inactive", eligible=False),
        mentor("inactive_and_full", eligible=False, capacity_left=0),
        mentor("full", capacity_left=0),
        mentor("english", languages={"en"}),
        mentor("full_english", capacity_left=0, languages={"en"}),
        mentor("conflict", excluded_organizations={"COOP ELAN"}),
        mentor("conflict_english", languages={"en"}, excluded_organizations={"coop elan"}),
        mentor("ended", blocked_mentee_ids={"x"}),
        mentor(
            "conflict_and_ended", excluded_organizations={"Coop Elan"}, blocked_mentee_ids={"x"}
        ),
        mentor("ended_other", blocked_mentee_ids={"y"}),
    ]
    pool = MentorPool.build(mentors)
    ranking = score_one(e, pool, limit=20)
    assert [c.mentor_id for c in ranking.candidates] == ["ok", "ended_other"]
    assert ranking.feasible == 2
    assert ranking.excluded == {
        "mentor_not_eligible": 2,
        "capacity_reached": 2,
        "no_common_language": 2,
        "conflict_of_interest": 2,
        "pair_previously_ended": 1,
    }
    assert list(ranking.excluded) == list(EXCLUSION_REASONS)
    scores = score_matrix([e], pool)
    assert np.isfinite(scores[0]).tolist() == [m.id in {"ok", "ended_other"} for m in mentors]
    assert np.isneginf(scores[0, 1])


def test_exclusion_counts_are_per_mentee() -> None:
    pool = MentorPool.build(
        [mentor("a", languages={"en"}), mentor("b", excluded_organizations={"Org B"})]
    )
    cohort = score_cohort(
        [mentee("fr_b", organization_name="org b"), mentee("en", languages={"en"})], pool
    )
    assert cohort.excluded(0)["no_common_language"] == 1
    assert cohort.excluded(0)["conflict_of_interest"] == 1
    assert cohort.excluded(1)["no_common_language"] == 1
    assert cohort.excluded(1)["conflict_of_interest"] == 0
    assert (cohort.tenths >= 0).tolist() == [[False, False], [True, False]]


def test_a_mentee_without_languages_has_no_feasible_mentor() -> None:
    ranking = score_one(mentee(languages=set()), MentorPool.build([mentor()]))
    assert ranking.candidates == []
    assert ranking.excluded["no_common_language"] == 1


# --- ranking --------------------------------------------------------------------------


def test_ranking_is_best_first_limited_and_ties_keep_pool_order() -> None:
    e = mentee(needs={"a", "b"})
    mentors = [
        mentor("half1", expertise={"a"}),
        mentor("none", expertise=set()),
        mentor("full", expertise={"a", "b"}),
        mentor("half2", expertise={"b"}),
        mentor("half3", expertise={"a"}),
    ]
    pool = MentorPool.build(mentors)
    ranking = score_one(e, pool, only("needs"), limit=3)
    assert [(c.mentor_id, c.score) for c in ranking.candidates] == [
        ("full", 100.0),
        ("half1", 50.0),
        ("half2", 50.0),
    ]
    assert ranking.feasible == 5
    assert score_one(e, pool, only("needs"), limit=0).candidates == []


def test_min_score_hides_weaker_candidates() -> None:
    e = mentee(needs={"a", "b"})
    pool = MentorPool.build([mentor("full", expertise={"a", "b"}), mentor("half", expertise={"a"})])
    ranking = score_one(e, pool, only("needs"), limit=5, min_score=50.1)
    assert [c.mentor_id for c in ranking.candidates] == ["full"]
    assert ranking.below_min_score == 1
    at_threshold = score_one(e, pool, only("needs"), limit=5, min_score=50.0)
    assert len(at_threshold.candidates) == 2


def test_invalid_weights_are_refused_by_the_scorer() -> None:
    with pytest.raises(ValueError, match="needs"):
        score_one(mentee(), MentorPool.build([mentor()]), {"needs": -1.0})


def test_score_matrix_of_an_empty_pool_or_cohort() -> None:
    assert score_matrix([mentee()], MentorPool.build([])).shape == (1, 0)
    assert score_matrix([], MentorPool.build([mentor()])).shape == (0, 1)


def test_score_matrix_blocks_give_the_same_result() -> None:
    rng = np.random.default_rng(3)
    mentors = [
        mentor(f"m{j}", expertise={"a", "b", "c"} if j % 2 else {"a"}, years_experience=j)
        for j in range(17)
    ]
    mentees = [
        mentee(f"x{i}", needs={"a", "b"} if rng.random() < 0.5 else {"c"}) for i in range(23)
    ]
    pool = MentorPool.build(mentors)
    whole = score_cohort(mentees, pool).tenths
    blocked = score_cohort(mentees, pool, block_cells=5).tenths
    assert np.array_equal(whole, blocked)
