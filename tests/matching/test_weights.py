"""Validation of a hub's matching weights."""

import math

import pytest

from app.matching.weights import CRITERIA, DEFAULT_WEIGHTS, validate_weights


def test_defaults_cover_every_criterion_and_are_positive() -> None:
    assert set(DEFAULT_WEIGHTS) == set(CRITERIA)
    assert all(w > 0 for w in DEFAULT_WEIGHTS.values())
    assert math.isclose(sum(DEFAULT_WEIGHTS.values()), 1.0)


def test_missing_criteria_take_the_default() -> None:
    result = validate_weights({"needs": 5, "experience": 0})
    assert result["needs"] == 5.0
    assert result["experience"] == 0.0
    assert result["sector"] == DEFAULT_WEIGHTS["sector"]
    assert list(result) == list(CRITERIA)


def test_empty_or_none_gives_the_defaults_as_a_fresh_dict() -> None:
    assert validate_weights({}) == DEFAULT_WEIGHTS
    result = validate_weights(None)
    result["needs"] = 9.0
    assert DEFAULT_WEIGHTS["needs"] == 0.35


def test_bounds_are_inclusive() -> None:
    result = validate_weights({"needs": 10, "sector": 0})
    assert (result["needs"], result["sector"]) == (10.0, 0.0)


@pytest.mark.parametrize(
    ("weights", "key", "fragment"),
    [
        ({"colour": 1.0}, "colour", "unknown"),
        ({"needs": -0.1}, "needs", "between 0 and 10"),
        ({"sector": 10.5}, "sector", "between 0 and 10"),
        ({"proximity": float("nan")}, "proximity", "finite"),
        ({"availability": float("inf")}, "availability", "finite"),
        ({"experience": "3"}, "experience", "number"),
        ({"legal_form": True}, "legal_form", "number"),
        ({"needs": None}, "needs", "number"),
    ],
)
def test_invalid_weight_names_the_offending_key(
    weights: dict[str, object], key: str, fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment) as info:
        validate_weights(weights)  # type: ignore[arg-type]
    assert str(info.value).startswith(f"{key}:")


def test_all_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="greater than 0") as info:
        validate_weights(dict.fromkeys(CRITERIA, 0.0))
    assert str(info.value).split(":")[0] in CRITERIA
