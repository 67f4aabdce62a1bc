"""Hard filters and vectorised scoring of mentee × mentor pairs."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import numpy.typing as npt

from app.matching.features import (
    IN_PERSON,
    REMOTE,
    EncodedMentees,
    MenteeFeatures,
    MentorPool,
)
from app.matching.weights import CRITERIA, validate_weights

# Checked in this order; a mentor is counted under the first rule that excludes it.
EXCLUSION_REASONS: tuple[str, ...] = (
    "mentor_not_eligible",
    "capacity_reached",
    "no_common_language",
    "conflict_of_interest",
    "pair_previously_ended",
)
_NOT_ELIGIBLE, _CAPACITY, _LANGUAGE, _CONFLICT, _ENDED = range(1, 6)

PROXIMITY_REMOTE = 0.6  # a shared video/phone mode works, but in person in-region is best
NEEDS_NONE_STATED = 0.5  # neutral: neither favours nor penalises a mentee without needs
SLOTS_ENOUGH = 3  # three common slots are plenty to book a monthly meeting
EXPERIENCE_FULL_YEARS = 15

# Scores are integers in tenths of a point (0..1000); -1 marks an infeasible pair.
INFEASIBLE = np.int16(-1)
# Pairs scored per block: bounds temporary memory (~16 MB per float64 temporary).
BLOCK_CELLS = 1 << 18


class CriterionScore(TypedDict):
    """One criterion of a score: its value in [0, 1], the hub's weight, points out of 100."""

    value: float
    weight: float
    points: float


Breakdown = dict[str, CriterionScore]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A feasible mentor for a mentee, with its score out of 100 and breakdown."""

    mentor_id: str
    score: float
    breakdown: Breakdown


@dataclass(frozen=True, slots=True)
class Ranking:
    """Top candidates for one mentee, and how many mentors each hard rule excluded."""

    mentee_id: str
    candidates: list[Candidate]
    feasible: int
    below_min_score: int
    excluded: dict[str, int]


@dataclass(frozen=True, slots=True)
class CohortScores:
    """Scores of every mentee × mentor pair, in tenths, with exclusion counts."""

    mentees: EncodedMentees
    tenths: npt.NDArray[np.int16]  # (n, m); -1 where a hard rule excludes the pair
    exclusions: npt.NDArray[np.int64]  # (n, len(EXCLUSION_REASONS))

    @property
    def scores(self) -> npt.NDArray[np.float64]:
        """Scores out of 100 (one decimal), -inf for infeasible pairs."""
        out: npt.NDArray[np.float64] = np.divide(self.tenths, 10.0, dtype=np.float64)
        np.putmask(out, self.tenths < 0, -np.inf)
        return out

    def excluded(self, row: int) -> dict[str, int]:
        """Exclusion counts of one mentee, by reason code."""
        return {reason: int(self.exclusions[row, k]) for k, reason in enumerate(EXCLUSION_REASONS)}


def _weight_vector(weights: Mapping[str, float] | None) -> tuple[dict[str, float], list[float]]:
    """Validated weights as a dict and as a list in CRITERIA order."""
    full = validate_weights(weights)
    return full, [full[c] for c in CRITERIA]


def _code_table(w: Sequence[float]) -> npt.NDArray[np.float64]:
    """Weighted points of sector, legal form, proximity and availability for each code.

    Code bits: 0 sector known, 1 legal form known, 2 region served, 3-5 common
    modes, 6-7 common slots (capped at 3), 8-9 min(slots offered) capped at 3.
    """
    code = np.arange(1024, dtype=np.int64)
    sector = (code & 1).astype(np.float64)
    legal = ((code >> 1) & 1).astype(np.float64)
    region = (code >> 2) & 1
    modes = (code >> 3) & 7
    overlap = ((code >> 6) & 3).astype(np.float64)
    smallest = ((code >> 8) & 3).astype(np.float64)
    proximity = np.where(
        (region == 1) & ((modes & int(IN_PERSON)) != 0),
        1.0,
        np.where((modes & int(REMOTE)) != 0, PROXIMITY_REMOTE, 0.0),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        availability = np.where(smallest > 0, np.minimum(overlap / smallest, 1.0), 0.0)
    _, w_sector, w_legal, w_proximity, w_availability, _ = w
    return (
        w_sector * sector
        + w_legal * legal
        + w_proximity * proximity
        + (w_availability * availability)
    )


def _experience(years: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Experience value: linear up to 15 years, then full."""
    return np.minimum(years.astype(np.float64) / EXPERIENCE_FULL_YEARS, 1.0)


def _any_common(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
    """Whether each (row of a, row of b) pair of multi-word masks shares a bit."""
    out: npt.NDArray[np.bool_] = (a[:, None, 0] & b[None, :, 0]) != 0
    for word in range(1, a.shape[1]):
        out |= (a[:, None, word] & b[None, :, word]) != 0
    return out


def _common_count(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint8]:
    """Number of shared bits of each (row of a, row of b) pair of multi-word masks."""
    out: npt.NDArray[np.uint8] = np.bitwise_count(a[:, None, 0] & b[None, :, 0])
    for word in range(1, a.shape[1]):
        out += np.bitwise_count(a[:, None, word] & b[None, :, word])
    return out


def _mentor_reasons(pool: MentorPool) -> npt.NDArray[np.uint8]:
    """Per-mentor exclusion (not eligible, then no capacity), 0 when neither applies."""
    cached = pool.cache.get("reason")
    if cached is None:
        cached = np.where(
            ~pool.eligible,
            np.uint8(_NOT_ELIGIBLE),
            np.where(pool.capacity_left <= 0, np.uint8(_CAPACITY), np.uint8(0)),
        ).astype(np.uint8)
        pool.cache["reason"] = cached
    return cached


def _pool_experience(pool: MentorPool) -> npt.NDArray[np.float64]:
    """Experience value of each mentor of the pool, computed once."""
    cached = pool.cache.get("experience")
    if cached is None:
        cached = _experience(pool.years)
        pool.cache["experience"] = cached
    return cached


def _score_block(
    enc: EncodedMentees,
    lo: int,
    hi: int,
    pool: MentorPool,
    w: Sequence[float],
    table: npt.NDArray[np.float64],
    mentor_reason: npt.NDArray[np.uint8],
    exclusions: npt.NDArray[np.int64],
) -> npt.NDArray[np.int16]:
    """Score mentees lo:hi against the pool, in tenths; fill their exclusion counts."""
    rows = slice(lo, hi)
    # Combined small code → one table lookup for four criteria (see _code_table).
    code = pool.sector_bits[enc.sector[rows]]
    code |= pool.legal_form_bits[enc.legal_form[rows]]
    code |= pool.region_bits[enc.region[rows]]
    modes = enc.modes[rows, None] & pool.modes[None, :]
    code |= modes.astype(np.uint16) << np.uint16(3)
    overlap = np.bitwise_count(enc.availability[rows, None] & pool.availability[None, :])
    np.minimum(overlap, 3, out=overlap)
    code |= overlap.astype(np.uint16) << np.uint16(6)
    smallest = np.minimum(
        np.minimum(enc.availability_count[rows], 3)[:, None],
        np.minimum(pool.availability_count, 3)[None, :],
    )
    code |= smallest.astype(np.uint16) << np.uint16(8)
    total = table[code]

    w_needs, w_experience = w[0], w[5]
    count = enc.needs_count[rows]
    has_needs = count > 0
    per_need = np.where(has_needs, w_needs / np.where(has_needs, count, 1.0), 0.0)
    covered = _common_count(enc.needs[rows], pool.expertise)
    total += covered * per_need[:, None]
    row_const = np.where(has_needs, 0.0, w_needs * NEEDS_NONE_STATED)
    total += row_const[:, None] + (w_experience * _pool_experience(pool))[None, :]
    total *= 1000.0 / math.fsum(w)
    tenths = np.rint(total).astype(np.int16)

    # Hard filters, in EXCLUSION_REASONS order.
    speaks = _any_common(enc.languages[rows], pool.languages)
    open_mentor = mentor_reason == 0
    silent = ~speaks & open_mentor[None, :]
    reason = np.where(silent, np.uint8(_LANGUAGE), mentor_reason[None, :])
    exclusions[rows, _NOT_ELIGIBLE - 1] = int(np.count_nonzero(mentor_reason == _NOT_ELIGIBLE))
    exclusions[rows, _CAPACITY - 1] = int(np.count_nonzero(mentor_reason == _CAPACITY))
    exclusions[rows, _LANGUAGE - 1] = np.count_nonzero(silent, axis=1)
    # Conflicts and past pairs are rare: handled per mentee on a few mentor indices.
    for r in range(lo, hi):
        org = enc.organizations[r]
        hits = pool.excluded_by_organization.get(org) if org is not None else None
        for k, idx in ((_CONFLICT, hits), (_ENDED, pool.blocked_by_mentee.get(enc.ids[r]))):
            if idx is not None:
                line = reason[r - lo]
                free = idx[line[idx] == 0]
                line[free] = k
                exclusions[r, k - 1] = len(free)
    np.putmask(tenths, reason != 0, INFEASIBLE)
    return tenths


def score_cohort(
    mentees: Sequence[MenteeFeatures] | EncodedMentees,
    pool: MentorPool,
    weights: Mapping[str, float] | None = None,
    *,
    block_cells: int = BLOCK_CELLS,
) -> CohortScores:
    """Score every mentee against every mentor, block by block to bound memory."""
    enc = mentees if isinstance(mentees, EncodedMentees) else pool.encode_mentees(mentees)
    _, w = _weight_vector(weights)
    table = _code_table(w)
    mentor_reason = _mentor_reasons(pool)
    n, m = len(enc), len(pool)
    tenths = np.full((n, m), INFEASIBLE, dtype=np.int16)
    exclusions = np.zeros((n, len(EXCLUSION_REASONS)), dtype=np.int64)
    if m:
        step = max(1, block_cells // m)
        for lo in range(0, n, step):
            hi = min(n, lo + step)
            tenths[lo:hi] = _score_block(enc, lo, hi, pool, w, table, mentor_reason, exclusions)
    return CohortScores(mentees=enc, tenths=tenths, exclusions=exclusions)


def score_matrix(
    mentees: Sequence[MenteeFeatures],
    pool: MentorPool,
    weights: Mapping[str, float] | None = None,
) -> npt.NDArray[np.float64]:
    """Dense (mentees × mentors) scores out of 100, -inf where a hard rule excludes the pair."""
    return score_cohort(mentees, pool, weights).scores


def criterion_values(
    enc: EncodedMentees,
    rows: npt.NDArray[np.intp],
    pool: MentorPool,
    cols: npt.NDArray[np.intp],
) -> dict[str, npt.NDArray[np.float64]]:
    """Each criterion's value in [0, 1] for the pairs (rows[k], cols[k])."""
    count = enc.needs_count[rows]
    covered = np.zeros(len(rows), dtype=np.float64)
    for word in range(enc.needs.shape[1]):
        covered += np.bitwise_count(enc.needs[rows, word] & pool.expertise[cols, word])
    needs = np.where(count > 0, covered / np.maximum(count, 1.0), NEEDS_NONE_STATED)
    sector = (pool.sector_bits[enc.sector[rows], cols] != 0).astype(np.float64)
    legal = (pool.legal_form_bits[enc.legal_form[rows], cols] != 0).astype(np.float64)
    served = pool.region_bits[enc.region[rows], cols] != 0
    modes = enc.modes[rows] & pool.modes[cols]
    proximity = np.where(
        served & ((modes & IN_PERSON) != 0),
        1.0,
        np.where((modes & REMOTE) != 0, PROXIMITY_REMOTE, 0.0),
    )
    overlap = np.bitwise_count(enc.availability[rows] & pool.availability[cols])
    smallest = np.minimum(
        np.minimum(enc.availability_count[rows], pool.availability_count[cols]), SLOTS_ENOUGH
    ).astype(np.float64)
    availability = np.where(smallest > 0, np.minimum(overlap / np.maximum(smallest, 1.0), 1.0), 0.0)
    return {
        "needs": needs,
        "sector": sector,
        "legal_form": legal,
        "proximity": proximity,
        "availability": availability,
        "experience": _experience(pool.years[cols]),
    }


def breakdowns(
    enc: EncodedMentees,
    rows: npt.NDArray[np.intp],
    pool: MentorPool,
    cols: npt.NDArray[np.intp],
    weights: Mapping[str, float] | None = None,
) -> list[Breakdown]:
    """Criterion-by-criterion breakdown of the pairs (rows[k], cols[k])."""
    full, w = _weight_vector(weights)
    scale = 100.0 / math.fsum(w)
    values = {c: v.tolist() for c, v in criterion_values(enc, rows, pool, cols).items()}
    out: list[Breakdown] = []
    for k in range(len(cols)):
        item: Breakdown = {}
        for criterion in CRITERIA:
            v = float(values[criterion][k])
            weight = full[criterion]
            item[criterion] = {
                "value": round(v, 4),
                "weight": weight,
                "points": round(scale * weight * v, 1),
            }
        out.append(item)
    return out


def min_tenths(min_score: float) -> int:
    """Smallest score in tenths that reaches min_score."""
    if not math.isfinite(min_score):
        raise ValueError("min_score must be a finite number")
    return max(0, math.ceil(min_score * 10.0 - 1e-9))


def top_indices(tenths: npt.NDArray[np.int16], k: int, floor: int) -> npt.NDArray[np.intp]:
    """Indices of the k best scores ≥ floor, best first, ties by pool order (deterministic)."""
    ok = np.flatnonzero(tenths >= floor)
    if k <= 0 or ok.size == 0:
        return np.zeros(0, dtype=np.intp)
    if ok.size > k:
        values = tenths[ok]
        threshold = np.partition(values, ok.size - k)[ok.size - k]
        above = ok[values > threshold]
        tied = ok[values == threshold][: k - above.size]
        ok = np.concatenate([above, tied])
    order = np.lexsort((ok, -tenths[ok].astype(np.int32)))
    return ok[order]


def score_one(
    mentee: MenteeFeatures,
    pool: MentorPool,
    weights: Mapping[str, float] | None = None,
    limit: int = 5,
    *,
    min_score: float = 0.0,
) -> Ranking:
    """Rank the feasible mentors of one mentee, best first, with exclusion counts."""
    full, _ = _weight_vector(weights)
    floor = min_tenths(min_score)
    cohort = score_cohort([mentee], pool, full)
    row = cohort.tenths[0]
    feasible = int(np.count_nonzero(row >= 0))
    reaching = int(np.count_nonzero(row >= floor))
    cols = top_indices(row, limit, floor)
    details = breakdowns(cohort.mentees, np.zeros(len(cols), dtype=np.intp), pool, cols, full)
    candidates = [
        Candidate(mentor_id=pool.ids[j], score=float(row[j]) / 10.0, breakdown=b)
        for j, b in zip(cols.tolist(), details, strict=True)
    ]
    return Ranking(
        mentee_id=mentee.id,
        candidates=candidates,
        feasible=feasible,
        below_min_score=feasible - reaching,
        excluded=cohort.excluded(0),
    )
