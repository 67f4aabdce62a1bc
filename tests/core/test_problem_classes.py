"""Each problem type is declared once, by its class, with its title and detail in both languages."""

from __future__ import annotations

import pytest

import app.main  # noqa: F401  (imports every domain, so every problem class is declared)
from app.core import errors
from app.core.errors import Conflict, Text, problem_class


def test_every_declared_problem_has_its_own_words_in_french_and_english() -> None:
    declared = errors._BY_TYPE
    assert {"not-found", "session-overlap", "capacity-reached", "invalid-link"} <= set(declared)
    for type_, kind in declared.items():
        assert kind.type == type_
        for locale in ("fr", "en"):
            assert kind.title[locale] and kind.detail[locale]


def test_a_problem_is_found_by_its_type_and_renders_its_parameters() -> None:
    body = problem_class("invalid-transition")(params={"action": "hold", "status": "held"})
    assert body.render("en")["detail"] == "Action 'hold' is not possible in status 'held'."
    assert body.render("fr")["title"] == "Transition impossible"
    with pytest.raises(KeyError):
        problem_class("no-such-problem")


def test_a_new_type_without_words_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match="without title and detail"):

        class Unworded(Conflict):
            type = "unworded-problem-of-a-test"


def test_a_type_declared_twice_with_words_is_refused() -> None:
    with pytest.raises(TypeError, match="already declared"):

        class Twice(Conflict):
            type = "session-overlap"
            title = Text(fr="Encore", en="Again")
            detail = Text(fr="Encore.", en="Again.")


def test_another_class_of_a_known_type_takes_the_words_that_type_was_declared_with() -> None:
    class RaisedElsewhere(Conflict):
        type = "profile-anonymised"

    assert RaisedElsewhere().render("en") == errors.ProfileAnonymised().render("en")
