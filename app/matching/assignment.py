"""Cohort assignment: the best overall set of pairs under mentor capacities."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from app.matching.features import EncodedMentees, MenteeFeatures, MentorPool
from app.matching.scoring import Breakdown, breakdowns, min_tenths, score_cohort
from app.matching.weights import validate_weights

logger = logging.getLogger(__name__)

UNMATCHED_REASONS: tuple[str, ...] = (
    "no_feasible_mentor",
    "below_min_score",
    "capacity_exhausted",
)

# Largest (mentor slots × mentees) matrix solved densely: 20 M cells ≈ 160 MB of float64.
DENSE_CELLS_LIMIT = 20_000_000
# Largest graph (feasible pairs × slots) solved sparsely without pruning.
SPARSE_EDGES_LIMIT = 4_000_000
# Per-mentee candidates kept when even the sparse graph would be too large.
AUTO_TOP_K = 30
_GREEDY_BLOCK = 8192

Pairs = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]


class ProblemTooLarge(ValueError):
    """The candidate graph exceeds what the exact solvers are allowed to take."""


class AssignedPair(NamedTuple):
    """A proposed pair of a cohort run."""

    mentee_id: str
    mentor_id: str
    score: float
    breakdown: Breakdown


class Unmatched(NamedTuple):
    """A mentee left without a mentor, and why."""

    mentee_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Assignment:
    """Result of a cohort run: a proposal only, nothing is written."""

    pairs: list[AssignedPair]
    total: float
    greedy_total: float
    unmatched: list[Unmatched]
    timings: dict[str, float]
    exact: bool  # True when provably optimal (no candidate pruning)
    method: str  # "dense", "sparse", "greedy" or "greedy_fallback"


def _empty_pairs() -> Pairs:
    """No pairs."""
    return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)


def prune_top_k(allowed: npt.NDArray[np.int16], top_k: int) -> npt.NDArray[np.int16]:
    """Keep each mentee's top_k allowed mentors (others set to -1)."""
    n, m = allowed.shape
    if top_k >= m:
        return allowed
    if top_k <= 0:
        return np.full_like(allowed, -1)
    keep = np.argpartition(-allowed.astype(np.int32), top_k - 1, axis=1)[:, :top_k]
    out = np.full_like(allowed, -1)
    rows = np.arange(n)[:, None]
    out[rows, keep] = allowed[rows, keep]
    return out


def _reduce(
    allowed: npt.NDArray[np.int16], capacity: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.int64]]:
    """Mentees with a candidate, mentors with a useful slot, and each mentor's slot count."""
    ok = allowed >= 0
    mentees = np.flatnonzero(ok.any(axis=1))
    # A mentor never needs more slots than it has candidates.
    slots = np.minimum(capacity, ok[mentees].sum(axis=0))
    mentors = np.flatnonzero(slots > 0)
    return mentees, mentors, slots[mentors].astype(np.int64)


def _values(sub: npt.NDArray[np.int16], pairs_bound: int) -> npt.NDArray[np.float64]:
    """Integer objective per pair: score first, then one more pair among equal totals.

    value = tenths × K + 1 with K > number of pairs, so a total in tenths always
    dominates and the +1 only breaks ties (score-0 pairs still get proposed). All
    values are integers below 2**53, so float64 sums are exact. Non-edges are 0.
    """
    k = float(pairs_bound + 1)
    out = sub.astype(np.float64)
    out *= k
    out += 1.0
    out[sub < 0] = 0.0
    return out


def _solve_dense(
    allowed: npt.NDArray[np.int16],
    mentees: npt.NDArray[np.intp],
    mentors: npt.NDArray[np.intp],
    slots: npt.NDArray[np.int64],
) -> Pairs:
    """Exact: rectangular assignment of capacity-expanded mentor slots to mentees."""
    slot_mentor = np.repeat(np.arange(len(mentors)), slots)
    bound = min(len(mentees), len(slot_mentor))
    # Gather in int16 first: one float64 matrix (slots × mentees) is the only big one.
    by_slot = allowed[np.ix_(mentees, mentors)].T[slot_mentor]
    cost = _values(by_slot, bound)
    del by_slot
    np.negative(cost, out=cost)
    # Rows are slots; a non-edge costs 0 like leaving both unmatched, and is dropped.
    r, c = linear_sum_assignment(cost)
    keep = cost[r, c] < 0
    return mentees[c[keep]], mentors[slot_mentor[r[keep]]]


def _solve_sparse(
    allowed: npt.NDArray[np.int16],
    mentees: npt.NDArray[np.intp],
    mentors: npt.NDArray[np.intp],
    slots: npt.NDArray[np.int64],
) -> Pairs:
    """Exact on the given edges: LAPJVsp with one private "unmatched" column per mentee."""
    sub = allowed[np.ix_(mentees, mentors)]
    ei, ej = np.nonzero(sub >= 0)
    n = len(mentees)
    total_slots = int(slots.sum())
    value = _values(sub[ei, ej], min(n, total_slots))
    first_slot = np.concatenate([[0], np.cumsum(slots)[:-1]])
    reps = slots[ej]
    # Each mentee-mentor edge becomes one edge per slot of that mentor.
    ri = np.repeat(ei, reps)
    offset = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    ci = np.repeat(first_slot[ej], reps) + offset
    big = float(value.max()) + 1.0 if value.size else 1.0
    # All weights positive (the solver treats zeros as absent); an "unmatched" edge
    # costs `big`, a real pair costs big - value, so minimising cost maximises value.
    graph = csr_matrix(
        (
            np.concatenate([big - np.repeat(value, reps), np.full(n, big)]),
            (np.concatenate([ri, np.arange(n)]), np.concatenate([ci, total_slots + np.arange(n)])),
        ),
        shape=(n, total_slots + n),
    )
    r, c = min_weight_full_bipartite_matching(graph)
    keep = c < total_slots
    slot_owner = np.repeat(np.arange(len(mentors)), slots)
    return mentees[r[keep]], mentors[slot_owner[c[keep]]]


def optimal_pairs(
    allowed: npt.NDArray[np.int16],
    capacity: npt.NDArray[np.int64],
    *,
    max_dense_cells: int = DENSE_CELLS_LIMIT,
    max_sparse_edges: int = SPARSE_EDGES_LIMIT,
) -> tuple[Pairs, str]:
    """Pairs maximising the total score (tenths, -1 = not allowed) under capacities."""
    mentees, mentors, slots = _reduce(allowed, capacity)
    if len(mentees) == 0 or len(mentors) == 0:
        return _empty_pairs(), "dense"
    if len(mentees) * int(slots.sum()) <= max_dense_cells:
        return _solve_dense(allowed, mentees, mentors, slots), "dense"
    edges = int(((allowed[np.ix_(mentees, mentors)] >= 0) * slots[None, :]).sum())
    if edges > max_sparse_edges:
        raise ProblemTooLarge("problem too large for an exact solve; prune candidates first")
    return _solve_sparse(allowed, mentees, mentors, slots), "sparse"


def greedy_pairs(allowed: npt.NDArray[np.int16], capacity: npt.NDArray[np.int64]) -> Pairs:
    """Highest score first (ties: mentee order, then mentor order) while capacity lasts."""
    n, m = allowed.shape
    flat = allowed.ravel()
    idx = np.flatnonzero(flat >= 0)
    # Stable sort on small integers (a radix sort in numpy) keeps ties in index order.
    order = idx[np.argsort(-flat[idx], kind="stable")]
    done = np.zeros(n, dtype=np.bool_)
    cap = capacity.astype(np.int64).copy()
    left_cap = int(cap[cap > 0].sum())
    left_mentees = int(np.count_nonzero((allowed >= 0).any(axis=1)))
    out_i: list[int] = []
    out_j: list[int] = []
    for start in range(0, len(order), _GREEDY_BLOCK):
        if left_cap == 0 or left_mentees == 0:
            break
        block = order[start : start + _GREEDY_BLOCK]
        bi, bj = np.divmod(block, m)
        live = ~done[bi] & (cap[bj] > 0)  # vectorised skip of most stale pairs
        for i, j in zip(bi[live].tolist(), bj[live].tolist(), strict=True):
            if done[i] or cap[j] <= 0:
                continue
            done[i] = True
            cap[j] -= 1
            left_cap -= 1
            left_mentees -= 1
            out_i.append(i)
            out_j.append(j)
    return np.array(out_i, dtype=np.intp), np.array(out_j, dtype=np.intp)


def _total(allowed: npt.NDArray[np.int16], pairs: Pairs) -> int:
    """Total score of pairs, in tenths (exact integer)."""
    return int(allowed[pairs[0], pairs[1]].astype(np.int64).sum())


def _check(allowed: npt.NDArray[np.int16], capacity: npt.NDArray[np.int64], pairs: Pairs) -> None:
    """Refuse a solution that breaks a rule: better to fail than to propose it."""
    rows, cols = pairs
    if len(rows) and (allowed[rows, cols] < 0).any():
        raise RuntimeError("assignment chose an excluded pair")
    if len(np.unique(rows)) != len(rows):
        raise RuntimeError("assignment gave a mentee two mentors")
    if (np.bincount(cols, minlength=len(capacity)) > capacity).any():
        raise RuntimeError("assignment exceeded a mentor's capacity")


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Scores ready for solving."""

    enc: EncodedMentees
    ids: tuple[str, ...]
    raw: npt.NDArray[np.int16]
    allowed: npt.NDArray[np.int16]
    capacity: npt.NDArray[np.int64]


def _build(
    mentees: Sequence[MenteeFeatures],
    pool: MentorPool,
    weights: Mapping[str, float],
    min_score: float,
    timings: dict[str, float],
) -> _Prepared:
    """Encode and score the cohort, then hide pairs below min_score."""
    t0 = time.perf_counter()
    enc = pool.encode_mentees(mentees)
    if len(set(enc.ids)) != len(enc.ids):
        raise ValueError("mentee ids must be unique in a cohort")
    t1 = time.perf_counter()
    cohort = score_cohort(enc, pool, weights)
    floor = min_tenths(min_score)
    allowed = np.where(cohort.tenths >= floor, cohort.tenths, np.int16(-1)).astype(np.int16)
    t2 = time.perf_counter()
    timings["encode"] = t1 - t0
    timings["score"] = t2 - t1
    return _Prepared(enc, enc.ids, cohort.tenths, allowed, pool.capacity_left.copy())


def _result(
    prep: _Prepared,
    pool: MentorPool,
    weights: Mapping[str, float],
    pairs: Pairs,
    greedy_total: int,
    timings: dict[str, float],
    exact: bool,
    method: str,
) -> Assignment:
    """Assemble the public result: pairs with breakdowns, unmatched mentees and reasons."""
    t0 = time.perf_counter()
    rows, cols = pairs
    order = np.argsort(rows, kind="stable")  # cohort order reads best in a review screen
    rows, cols = rows[order], cols[order]
    details = breakdowns(prep.enc, rows, pool, cols, weights)
    tenths = prep.raw[rows, cols].tolist()
    out = [
        AssignedPair(prep.ids[i], pool.ids[j], t / 10.0, b)
        for i, j, t, b in zip(rows.tolist(), cols.tolist(), tenths, details, strict=True)
    ]
    matched = np.zeros(len(prep.ids), dtype=np.bool_)
    matched[rows] = True
    any_feasible: npt.NDArray[np.bool_] = np.any(prep.raw >= 0, axis=1)
    any_allowed: npt.NDArray[np.bool_] = np.any(prep.allowed >= 0, axis=1)
    unmatched = [
        Unmatched(
            prep.ids[i],
            "no_feasible_mentor"
            if not any_feasible[i]
            else "below_min_score"
            if not any_allowed[i]
            else "capacity_exhausted",
        )
        for i in np.flatnonzero(~matched).tolist()
    ]
    timings["breakdown"] = time.perf_counter() - t0
    return Assignment(
        pairs=out,
        total=_total(prep.raw, (rows, cols)) / 10.0,
        greedy_total=greedy_total / 10.0,
        unmatched=unmatched,
        timings=timings,
        exact=exact,
        method=method,
    )


def greedy(
    mentees: Sequence[MenteeFeatures],
    pool: MentorPool,
    weights: Mapping[str, float] | None = None,
    min_score: float = 0.0,
) -> Assignment:
    """Cohort assignment taking the best remaining pair first (baseline for comparison)."""
    full = validate_weights(weights)
    timings: dict[str, float] = {}
    prep = _build(mentees, pool, full, min_score, timings)
    t0 = time.perf_counter()
    pairs = greedy_pairs(prep.allowed, prep.capacity)
    timings["greedy"] = time.perf_counter() - t0
    _check(prep.allowed, prep.capacity, pairs)
    total = _total(prep.allowed, pairs)
    return _result(prep, pool, full, pairs, total, timings, exact=False, method="greedy")


def assign(
    mentees: Sequence[MenteeFeatures],
    pool: MentorPool,
    weights: Mapping[str, float] | None = None,
    min_score: float = 0.0,
    top_k: int | None = None,
    *,
    max_dense_cells: int = DENSE_CELLS_LIMIT,
    max_sparse_edges: int = SPARSE_EDGES_LIMIT,
) -> Assignment:
    """Propose pairs maximising the cohort's total score under mentor capacities."""
    full = validate_weights(weights)
    timings: dict[str, float] = {}
    prep = _build(mentees, pool, full, min_score, timings)
    allowed, capacity = prep.allowed, prep.capacity

    t0 = time.perf_counter()
    candidates = allowed
    if top_k is None:
        mentees_i, mentors_j, slots = _reduce(allowed, capacity)
        dense_cells = len(mentees_i) * int(slots.sum())
        if dense_cells > max_dense_cells:
            sub_ok = allowed[np.ix_(mentees_i, mentors_j)] >= 0
            if int((sub_ok * slots[None, :]).sum()) > max_sparse_edges:
                top_k = AUTO_TOP_K
    if top_k is not None:
        candidates = prune_top_k(allowed, top_k)
    exact = bool(np.array_equal(candidates, allowed))
    try:
        pairs, method = optimal_pairs(
            candidates,
            capacity,
            max_dense_cells=max_dense_cells,
            max_sparse_edges=max_sparse_edges,
        )
    except ProblemTooLarge:
        # Pruned graph still too big for the exact solvers: prune harder.
        candidates = prune_top_k(allowed, min(top_k or AUTO_TOP_K, AUTO_TOP_K) // 2 or 1)
        exact = False
        pairs, method = optimal_pairs(candidates, capacity, max_sparse_edges=2**62)
    timings["solve"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    greedy_solution = greedy_pairs(allowed, capacity)
    timings["greedy"] = time.perf_counter() - t0

    _check(allowed, capacity, pairs)
    best, greedy_total = _total(allowed, pairs), _total(allowed, greedy_solution)
    if best < greedy_total:
        # Only possible after pruning (or a solver bug): never propose worse than greedy.
        if exact:
            logger.error("exact assignment below greedy (%s < %s)", best, greedy_total)
        pairs, method, exact = greedy_solution, "greedy_fallback", False
    return _result(prep, pool, full, pairs, greedy_total, timings, exact, method)
