"""Cohort assignment: optimal against brute force, never worse than greedy, rules kept."""

from collections import Counter
from typing import Any

import numpy as np
import pytest

from app.matching.assignment import (
    UNMATCHED_REASONS,
    Assignment,
    assign,
    greedy,
    greedy_pairs,
    optimal_pairs,
)
from app.matching.features import MenteeFeatures, MentorFeatures, MentorPool
from app.matching.scoring import score_cohort
from app.matching.weights import CRITERIA

NEEDS_ONLY = {c: (1.0 if c == "needs" else 0.0) for c in CRITERIA}
THEMES = ["a", "b", "c", "d"]
SLOTS = ["mon_am", "mon_pm", "tue_eve", "wed_am", "sat_pm"]


def mentor(id: str, **kw: Any) -> MentorFeatures:
    """An eligible French-speaking mentor with one free slot."""
    base: dict[str, Any] = {"languages": {"fr"}, "capacity_left": 1, "eligible": True}
    return MentorFeatures(id=id, **(base | kw))


def mentee(id: str, **kw: Any) -> MenteeFeatures:
    """A French-speaking mentee."""
    base: dict[str, Any] = {"languages": {"fr"}}
    return MenteeFeatures(id=id, **(base | kw))


def subset(rng: np.random.Generator, items: list[str], low: int, high: int) -> set[str]:
    """A random subset of low..high items."""
    k = int(rng.integers(low, high + 1))
    return set(rng.choice(items, size=k, replace=False).tolist())


def random_instance(
    rng: np.random.Generator,
) -> tuple[list[MenteeFeatures], list[MentorFeatures]]:
    """A small cohort with every hard rule in play."""
    n, m = int(rng.integers(1, 7)), int(rng.integers(1, 5))
    mentees = [
        mentee(
            f"x{i}",
            needs=subset(rng, THEMES, 0, 3),
            sector=str(rng.choice(["s1", "s2"])),
            region=str(rng.choice(["03", "06"])),
            organization_name=str(rng.choice(["Coop Un", "Coop Deux", "OBNL Trois"])),
            languages={"fr"} if rng.random() < 0.8 else {"en"},
            meeting_modes=subset(rng, ["in_person", "video", "phone"], 0, 3),
            availability=subset(rng, SLOTS, 0, 4),
        )
        for i in range(n)
    ]
    mentors = [
        mentor(
            f"m{j}",
            expertise=subset(rng, THEMES, 0, 4),
            sectors=subset(rng, ["s1", "s2"], 0, 2),
            regions_served=subset(rng, ["03", "06"], 0, 2),
            languages={"fr", "en"} if rng.random() < 0.3 else {"fr"},
            meeting_modes=subset(rng, ["in_person", "video", "phone"], 0, 3),
            availability=subset(rng, SLOTS, 0, 4),
            years_experience=int(rng.integers(0, 25)),
            capacity_left=int(rng.integers(1, 4)),
            eligible=bool(rng.random() < 0.85),
            excluded_organizations={"coop un"} if rng.random() < 0.2 else set(),
            blocked_mentee_ids={f"x{int(rng.integers(0, n))}"} if rng.random() < 0.2 else set(),
        )
        for j in range(m)
    ]
    return mentees, mentors


def brute_force(allowed: np.ndarray, capacity: np.ndarray) -> int:
    """Best total (tenths) over every assignment, by plain enumeration."""
    n, m = allowed.shape
    cap = capacity.tolist()
    best = 0

    def walk(i: int, total: int) -> None:
        nonlocal best
        if i == n:
            best = max(best, total)
            return
        walk(i + 1, total)  # this mentee left unmatched
        for j in range(m):
            if allowed[i, j] >= 0 and cap[j] > 0:
                cap[j] -= 1
                walk(i + 1, total + int(allowed[i, j]))
                cap[j] += 1

    walk(0, 0)
    return best


def assert_valid(result: Assignment, pool: MentorPool, scores: np.ndarray, ids: list[str]) -> None:
    """Every rule of a proposal: feasible pairs, one mentor per mentee, capacities."""
    row = {mentee_id: i for i, mentee_id in enumerate(ids)}
    mentees_seen = [p.mentee_id for p in result.pairs]
    assert len(set(mentees_seen)) == len(mentees_seen)
    load = Counter(p.mentor_id for p in result.pairs)
    for mentor_id, count in load.items():
        assert count <= pool.mentor(mentor_id).capacity_left
    for p in result.pairs:
        score = scores[row[p.mentee_id], pool.position[p.mentor_id]]
        assert np.isfinite(score)
        assert p.score == score
    assert {u.mentee_id for u in result.unmatched} == set(ids) - set(mentees_seen)
    assert result.total == pytest.approx(sum(p.score for p in result.pairs))


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_exact_equals_brute_force_and_beats_greedy_on_random_cohorts(method: str) -> None:
    rng = np.random.default_rng(2024)
    strictly_better = 0
    for _ in range(200):
        mentees, mentors = random_instance(rng)
        pool = MentorPool.build(mentors)
        min_score = float(rng.choice([0.0, 0.0, 30.0]))
        cells = 0 if method == "sparse" else 10**9
        result = assign(mentees, pool, min_score=min_score, max_dense_cells=cells)
        assert result.method == method or not result.pairs
        assert result.exact
        cohort = score_cohort(mentees, pool)
        allowed = np.where(cohort.tenths >= min_score * 10, cohort.tenths, -1)
        best = brute_force(allowed, pool.capacity_left)
        assert round(result.total * 10) == best
        assert result.total >= result.greedy_total
        strictly_better += result.total > result.greedy_total
        assert_valid(result, pool, cohort.scores, [e.id for e in mentees])
        assert all(p.score >= min_score for p in result.pairs)
    assert strictly_better > 0  # the instances do exercise greedy's weakness


def test_solver_equals_brute_force_on_random_score_matrices() -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        n, m = int(rng.integers(1, 7)), int(rng.integers(1, 5))
        allowed = rng.integers(0, 1001, size=(n, m)).astype(np.int16)
        allowed[rng.random((n, m)) < 0.3] = -1
        capacity = rng.integers(1, 4, size=m).astype(np.int64)
        (rows, cols), _ = optimal_pairs(allowed, capacity)
        g_rows, g_cols = greedy_pairs(allowed, capacity)
        best = brute_force(allowed, capacity)
        assert int(allowed[rows, cols].sum()) == best
        assert int(allowed[g_rows, g_cols].sum()) <= best
        assert (allowed[rows, cols] >= 0).all()
        assert (np.bincount(cols, minlength=m) <= capacity).all()


def test_greedy_is_strictly_worse_when_the_top_pair_blocks_a_better_whole() -> None:
    # Greedy gives "both" to x (tie at 100, x first) and leaves y alone: 100.
    # The optimum gives "half" to x (50) and "both" to y (100): 150.
    mentors = [
        mentor("both", expertise={"a", "b"}, languages={"fr", "en"}),
        mentor("half", expertise={"a"}),
    ]
    mentees = [mentee("x", needs={"a", "b"}), mentee("y", needs={"a", "b"}, languages={"en"})]
    pool = MentorPool.build(mentors)
    result = assign(mentees, pool, NEEDS_ONLY)
    baseline = greedy(mentees, pool, NEEDS_ONLY)
    assert {(p.mentee_id, p.mentor_id) for p in result.pairs} == {("x", "half"), ("y", "both")}
    assert (result.total, result.greedy_total) == (150.0, 100.0)
    assert baseline.total == 100.0
    assert baseline.unmatched == [("y", "capacity_exhausted")]
    assert result.pairs[0].breakdown["needs"]["value"] == 0.5


def test_infeasible_pairs_are_never_assigned_even_when_they_would_score_best() -> None:
    mentors = [
        mentor("star", expertise={"a"}, excluded_organizations={"Coop Un"}),
        mentor("retired", expertise={"a"}, eligible=False),
        mentor("ok", expertise=set()),
    ]
    mentees = [mentee("x", needs={"a"}, organization_name="COOP UN")]
    result = assign(mentees, MentorPool.build(mentors), NEEDS_ONLY)
    assert [(p.mentee_id, p.mentor_id, p.score) for p in result.pairs] == [("x", "ok", 0.0)]


def test_min_score_is_respected_and_reported() -> None:
    mentors = [mentor("full", expertise={"a", "b"}), mentor("half", expertise={"a"})]
    mentees = [mentee("x", needs={"a", "b"}), mentee("y", needs={"a", "b"})]
    result = assign(mentees, MentorPool.build(mentors), NEEDS_ONLY, min_score=60)
    assert [(p.mentee_id, p.mentor_id) for p in result.pairs] == [("x", "full")]
    assert result.unmatched == [("y", "capacity_exhausted")]
    result = assign(mentees, MentorPool.build(mentors), NEEDS_ONLY, min_score=100.1)
    assert result.pairs == []
    assert {u.reason for u in result.unmatched} == {"below_min_score"}


def test_capacities_are_respected_and_used() -> None:
    mentors = [mentor("big", expertise={"a"}, capacity_left=3), mentor("small", capacity_left=1)]
    mentees = [mentee(f"x{i}", needs={"a"}) for i in range(6)]
    result = assign(mentees, MentorPool.build(mentors), NEEDS_ONLY)
    load = Counter(p.mentor_id for p in result.pairs)
    assert load == {"big": 3, "small": 1}
    assert result.total == 300.0
    assert [u.reason for u in result.unmatched] == ["capacity_exhausted"] * 2


def test_unmatched_reasons() -> None:
    mentors = [mentor("m", expertise={"a"}, capacity_left=1)]
    mentees = [
        mentee("alone", languages={"en"}),
        mentee("weak", needs={"b"}),
        mentee("strong", needs={"a"}),
        mentee("also_strong", needs={"a"}),
    ]
    result = assign(mentees, MentorPool.build(mentors), NEEDS_ONLY, min_score=10)
    assert [(p.mentee_id, p.mentor_id) for p in result.pairs] == [("strong", "m")]
    assert result.unmatched == [
        ("alone", "no_feasible_mentor"),
        ("weak", "below_min_score"),
        ("also_strong", "capacity_exhausted"),
    ]
    assert {u.reason for u in result.unmatched} <= set(UNMATCHED_REASONS)


def test_timings_are_reported_for_each_step() -> None:
    result = assign([mentee("x")], MentorPool.build([mentor("m")]))
    assert {"encode", "score", "solve", "greedy"} <= set(result.timings)
    assert all(t >= 0 for t in result.timings.values())


def test_empty_cohort_or_pool() -> None:
    assert assign([], MentorPool.build([mentor("m")])).pairs == []
    result = assign([mentee("x")], MentorPool.build([]))
    assert result.pairs == []
    assert result.unmatched == [("x", "no_feasible_mentor")]
    assert (result.total, result.greedy_total) == (0.0, 0.0)


def test_duplicate_mentee_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        assign([mentee("x"), mentee("x")], MentorPool.build([mentor("m")]))


def test_pruning_is_flagged_inexact_and_never_below_greedy() -> None:
    rng = np.random.default_rng(5)
    for _ in range(50):
        mentees, mentors = random_instance(rng)
        pool = MentorPool.build(mentors)
        result = assign(mentees, pool, top_k=1)
        full = assign(mentees, pool)
        assert result.greedy_total <= result.total <= full.total
        choices = (score_cohort(mentees, pool).tenths >= 0).sum(axis=1)
        assert result.exact == bool((choices <= 1).all())


def test_a_pruned_solution_worse_than_greedy_falls_back_to_greedy() -> None:
    mentors = [mentor("a", expertise={"a", "b", "c", "d"}), mentor("b", expertise={"a", "b", "c"})]
    mentees = [mentee("x", needs={"a", "b", "c", "d"}), mentee("y", needs={"a", "b", "c", "e"})]
    pool = MentorPool.build(mentors)
    # With one candidate each, both mentees want "a": the pruned optimum is 100.
    result = assign(mentees, pool, NEEDS_ONLY, top_k=1)
    assert result.method == "greedy_fallback"
    assert result.total == result.greedy_total == 175.0
    assert not result.exact


def test_automatic_pruning_when_the_problem_is_too_big_for_exact_solvers() -> None:
    rng = np.random.default_rng(9)
    mentors = [
        mentor(f"m{j}", expertise=subset(rng, THEMES, 1, 3), capacity_left=2) for j in range(40)
    ]
    mentees = [mentee(f"x{i}", needs=subset(rng, THEMES, 1, 3)) for i in range(60)]
    pool = MentorPool.build(mentors)
    pruned = assign(mentees, pool, NEEDS_ONLY, max_dense_cells=10, max_sparse_edges=100)
    exact = assign(mentees, pool, NEEDS_ONLY)
    assert exact.exact and not pruned.exact
    assert exact.greedy_total <= pruned.total <= exact.total
    assert len(exact.pairs) == 60  # 80 slots, every pair feasible
