"""Matching criteria and the per-hub weights that balance them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from types import MappingProxyType

CRITERIA: tuple[str, ...] = (
    "needs",
    "sector",
    "legal_form",
    "proximity",
    "availability",
    "experience",
)

# Relative weights: only their ratios matter, the score divides by their sum.
DEFAULT_WEIGHTS: dict[str, float] = {
    "needs": 0.35,
    "sector": 0.15,
    "legal_form": 0.10,
    "proximity": 0.15,
    "availability": 0.15,
    "experience": 0.10,
}

MAX_WEIGHT = 10.0

# Read-only view for callers that only need to look the defaults up.
DEFAULT_WEIGHTS_VIEW: Mapping[str, float] = MappingProxyType(DEFAULT_WEIGHTS)


def validate_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Check a hub's weights and complete missing criteria with the defaults."""
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    if not isinstance(weights, Mapping):
        raise ValueError("matching_weights must be an object mapping criterion to weight")
    result = dict(DEFAULT_WEIGHTS)
    for key, value in weights.items():
        if key not in CRITERIA:
            allowed = ", ".join(CRITERIA)
            raise ValueError(f"{key}: unknown matching criterion (allowed: {allowed})")
        # bool is a Real subclass; True as a weight is almost surely a client bug.
        if isinstance(value, bool) or not isinstance(value, Real):
            raise ValueError(f"{key}: weight must be a number")
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{key}: weight must be a finite number")
        if number < 0.0 or number > MAX_WEIGHT:
            raise ValueError(f"{key}: weight must be between 0 and {MAX_WEIGHT:g}")
        result[key] = number
    if not any(w > 0.0 for w in result.values()):
        zero_key = next(iter(weights), CRITERIA[0])
        raise ValueError(f"{zero_key}: at least one matching weight must be greater than 0")
    return result
