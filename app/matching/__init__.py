"""Pure matching engine: feature encoding, scoring, explanations and cohort assignment."""

from app.matching.assignment import (
    UNMATCHED_REASONS,
    AssignedPair,
    Assignment,
    Unmatched,
    assign,
    greedy,
)
from app.matching.explain import LabelFn, explain
from app.matching.features import (
    AVAILABILITY_SLOTS,
    MEETING_MODES,
    MenteeFeatures,
    MentorColumns,
    MentorFeatures,
    MentorPool,
    normalize_organization,
)
from app.matching.scoring import (
    EXCLUSION_REASONS,
    Breakdown,
    Candidate,
    CriterionScore,
    Ranking,
    score_matrix,
    score_one,
)
from app.matching.weights import CRITERIA, DEFAULT_WEIGHTS, validate_weights

__all__ = [
    "AVAILABILITY_SLOTS",
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "EXCLUSION_REASONS",
    "MEETING_MODES",
    "UNMATCHED_REASONS",
    "AssignedPair",
    "Assignment",
    "Breakdown",
    "Candidate",
    "CriterionScore",
    "LabelFn",
    "MenteeFeatures",
    "MentorColumns",
    "MentorFeatures",
    "MentorPool",
    "Ranking",
    "Unmatched",
    "assign",
    "explain",
    "greedy",
    "normalize_organization",
    "score_matrix",
    "score_one",
    "validate_weights",
]
