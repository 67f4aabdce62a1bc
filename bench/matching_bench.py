"""Benchmark of the matching engine on realistic random cohorts.

Usage: python bench/matching_bench.py [--mentees 5000 --mentors 1000 --seed 1]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import scipy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.matching import (
    AVAILABILITY_SLOTS,
    DEFAULT_WEIGHTS,
    MenteeFeatures,
    MentorFeatures,
    MentorPool,
    assign,
    score_matrix,
    score_one,
)
from app.matching.assignment import greedy_pairs, optimal_pairs
from app.matching.scoring import min_tenths, score_cohort

T = TypeVar("T")

THEMES = [
    "governance",
    "strategy",
    "financing",
    "financial_management",
    "human_resources",
    "volunteer_management",
    "marketing",
    "communications",
    "partnerships",
    "growth",
    "succession",
    "digital",
    "operations",
    "legal",
    "member_engagement",
    "impact_measurement",
    "conflict_management",
    "leadership",
    "innovation",
    "real_estate",
]
SECTORS = [
    "agri_food",
    "housing",
    "childcare",
    "home_care",
    "culture",
    "recreation_tourism",
    "retail",
    "environment",
    "forestry",
    "manufacturing",
    "media",
    "services",
    "technology",
    "funeral",
    "finance",
]
LEGAL_FORMS = [
    "solidarity_coop",
    "worker_coop",
    "consumer_coop",
    "producer_coop",
    "worker_shareholder_coop",
    "nonprofit",
    "mutual",
]
REGIONS = [f"{n:02d}" for n in range(1, 18)]
# Rough share of Québec's population by administrative region (Montréal, Montérégie…).
REGION_SHARE = np.array(
    [2.3, 3.2, 8.8, 3.2, 4.0, 23.5, 4.6, 1.7, 1.0, 0.2, 1.0, 5.1, 5.2, 6.2, 7.4, 17.6, 2.9]
)
REGION_SHARE = REGION_SHARE / REGION_SHARE.sum()
MODES = ["in_person", "video", "phone"]
# Evenings and weekday afternoons are what volunteers and busy directors offer most.
SLOT_SHARE = np.array(
    [1.0 if s.endswith("_am") else 1.5 if s.endswith("_pm") else 2.5 for s in AVAILABILITY_SLOTS]
)
SLOT_SHARE[-6:] *= 0.4  # weekends
SLOT_SHARE = SLOT_SHARE / SLOT_SHARE.sum()


def _pick(rng: np.random.Generator, items: list[str], low: int, high: int) -> frozenset[str]:
    """A random subset of low..high items."""
    k = int(rng.integers(low, high + 1))
    return frozenset(rng.choice(items, size=min(k, len(items)), replace=False).tolist())


def _languages(rng: np.random.Generator) -> frozenset[str]:
    """Mostly French, often bilingual, a few English only or other languages."""
    roll = rng.random()
    if roll < 0.05:
        return frozenset({"en"})
    langs = {"fr"}
    if rng.random() < 0.35:
        langs.add("en")
    if rng.random() < 0.05:
        langs.add(str(rng.choice(["es", "ar", "ht"])))
    return frozenset(langs)


def _modes(rng: np.random.Generator) -> frozenset[str]:
    """A non-empty subset of meeting modes, video being the most common."""
    modes = {m for m, p in zip(MODES, (0.7, 0.85, 0.4), strict=True) if rng.random() < p}
    return frozenset(modes or {"video"})


def _slots(rng: np.random.Generator) -> frozenset[str]:
    """2 to 8 availability slots."""
    k = int(rng.integers(2, 9))
    return frozenset(rng.choice(AVAILABILITY_SLOTS, size=k, replace=False, p=SLOT_SHARE).tolist())


def make_mentees(rng: np.random.Generator, n: int) -> list[MenteeFeatures]:
    """Random mentees, deterministic for a given generator state."""
    out = []
    for i in range(n):
        out.append(
            MenteeFeatures(
                id=f"mentee-{i}",
                needs=_pick(rng, THEMES, 1, 5),
                sector=str(rng.choice(SECTORS)),
                legal_form=str(rng.choice(LEGAL_FORMS)),
                region=str(rng.choice(REGIONS, p=REGION_SHARE)),
                organization_name=f"Coopérative {i % (n // 2 + 1)}",
                languages=_languages(rng),
                meeting_modes=_modes(rng),
                availability=_slots(rng),
            )
        )
    return out


def make_mentors(rng: np.random.Generator, m: int, n_mentees: int) -> list[MentorFeatures]:
    """Random mentors, deterministic for a given generator state."""
    out = []
    for j in range(m):
        home = int(rng.choice(len(REGIONS), p=REGION_SHARE))
        served = {REGIONS[home]}
        for _ in range(int(rng.integers(0, 3))):
            served.add(REGIONS[min(16, max(0, home + int(rng.integers(-2, 3))))])
        excluded: frozenset[str] = frozenset()
        if rng.random() < 0.1:
            excluded = frozenset(
                f"COOPERATIVE  {int(k)}" for k in rng.integers(0, n_mentees // 2 + 1, size=2)
            )
        blocked: frozenset[str] = frozenset()
        if rng.random() < 0.02:
            blocked = frozenset({f"mentee-{int(rng.integers(0, max(1, n_mentees)))}"})
        out.append(
            MentorFeatures(
                id=f"mentor-{j}",
                expertise=_pick(rng, THEMES, 2, 8),
                sectors=_pick(rng, SECTORS, 1, 4),
                legal_forms_known=_pick(rng, LEGAL_FORMS, 1, 4),
                regions_served=frozenset(served),
                languages=_languages(rng),
                meeting_modes=_modes(rng),
                availability=_slots(rng),
                years_experience=int(rng.integers(0, 41)),
                capacity_left=int(rng.choice([0, 1, 1, 2, 2, 3])),
                excluded_organizations=excluded,
                eligible=bool(rng.random() < 0.85),
                blocked_mentee_ids=blocked,
            )
        )
    return out


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[T, float]:
    """Result of fn and its best wall time over `repeat` runs (seconds)."""
    best = float("inf")
    result: T | None = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    assert result is not None
    return result, best


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentees", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--big-pool", type=int, default=100_000, help="mentors for the top-10")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    mentees = make_mentees(rng, args.mentees)
    mentors = make_mentors(rng, args.mentors, args.mentees)
    weights = dict(DEFAULT_WEIGHTS)

    pool, t_pool = timed(lambda: MentorPool.build(mentors), repeat=3)
    enc, t_enc = timed(lambda: pool.encode_mentees(mentees), repeat=3)
    cohort, t_score = timed(lambda: score_cohort(enc, pool, weights), repeat=5)
    _, t_matrix = timed(lambda: score_matrix(mentees, pool, weights), repeat=3)
    floor = min_tenths(0.0)
    allowed = np.where(cohort.tenths >= floor, cohort.tenths, np.int16(-1)).astype(np.int16)
    capacity = pool.capacity_left
    (opt, method), t_exact = timed(lambda: optimal_pairs(allowed, capacity), repeat=3)
    (sparse_opt, _), t_sparse = timed(
        lambda: optimal_pairs(allowed, capacity, max_dense_cells=0, max_sparse_edges=2**62)
    )
    greedy_solution, t_greedy = timed(lambda: greedy_pairs(allowed, capacity), repeat=3)
    result, t_assign = timed(lambda: assign(mentees, pool, weights), repeat=3)

    big_rng = np.random.default_rng(args.seed + 1)
    big_mentors = make_mentors(big_rng, args.big_pool, args.mentees)
    big_pool, t_big_pool = timed(lambda: MentorPool.build(big_mentors))
    probe = mentees[0]
    score_one(probe, big_pool, weights, 10)  # warm-up (also fills the pool's caches)
    runs = []
    for _ in range(100):
        t0 = time.perf_counter()
        score_one(probe, big_pool, weights, 10)
        runs.append(time.perf_counter() - t0)

    def total(pairs: tuple[np.ndarray, np.ndarray]) -> float:
        return int(allowed[pairs].astype(np.int64).sum()) / 10

    opt_total, greedy_total = total(opt), total(greedy_solution)
    assert total(sparse_opt) == opt_total, "the two exact solvers disagree"
    assert result.total == opt_total
    feasible = int(np.count_nonzero(cohort.tenths >= 0))
    n, m = len(mentees), len(mentors)
    open_slots = int(capacity[pool.eligible].sum())

    print(f"# matching bench: {n} mentees x {m} mentors, seed {args.seed}")
    print(
        f"# python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}, {os.cpu_count()} CPUs"
    )
    print(f"feasible pairs: {feasible:,} ({feasible / (n * m):.0%}); open slots: {open_slots:,}")
    print()
    rows = [
        (f"build pool ({m:,} mentors)", f"{t_pool:.4f} s"),
        (f"encode {n:,} mentees", f"{t_enc:.4f} s"),
        (f"score {n:,} x {m:,} (tenths, hard filters)", f"{t_score:.4f} s"),
        (f"score_matrix {n:,} x {m:,} (float, -inf)", f"{t_matrix:.4f} s"),
        (f"exact assignment ({method})", f"{t_exact:.4f} s"),
        ("exact assignment (sparse solver)", f"{t_sparse:.4f} s"),
        ("greedy assignment", f"{t_greedy:.4f} s"),
        ("assign() end to end", f"{t_assign:.4f} s"),
        (f"build pool ({args.big_pool:,} mentors)", f"{t_big_pool:.4f} s"),
        (
            f"top-10 among {args.big_pool:,} mentors (median)",
            f"{statistics.median(runs) * 1000:.2f} ms",
        ),
        ("optimum total", f"{opt_total:,.1f} ({len(opt[0]):,} pairs)"),
        ("greedy total", f"{greedy_total:,.1f} ({len(greedy_solution[0]):,} pairs)"),
        ("greedy / optimum", f"{greedy_total / opt_total if opt_total else 1.0:.4f}"),
    ]
    width = max(len(label) for label, _ in rows)
    value_width = max(len(value) for _, value in rows)
    print(f"| {'step':<{width}} | {'result':<{value_width}} |")
    print(f"|{'-' * (width + 2)}|{'-' * (value_width + 2)}|")
    for label, value in rows:
        print(f"| {label:<{width}} | {value:<{value_width}} |")


if __name__ == "__main__":
    main()
