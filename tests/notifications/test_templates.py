"""Every template renders in French and English, with no untranslated or missing sentence."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from app.notifications.rendering import (
    KINDS,
    LOCALES,
    TEMPLATES_DIR,
    UntranslatedKey,
    catalog,
    render,
    translator,
)

SAMPLES: dict[str, dict[str, Any]] = {
    "invitation": {
        "role": "mentee",
        "link": "https://x.example/accept-invitation?token=t",
        "days": 7,
    },
    "password_reset": {"link": "https://x.example/reset-password?token=t", "minutes": 60},
    "match_proposed": {"side": "mentor", "other": "Luc", "link": "https://x.example/m"},
    "match_accepted": {"other": "Luc"},
    "match_activated": {"other": "Luc", "starts_on": "1 juin 2026", "link": "https://x.example/m"},
    "session_scheduled": {"other": "Luc", "when": "lundi", "mode": "video", "minutes": 60},
    "session_rescheduled": {"other": "Luc", "when": "lundi", "mode": "phone", "minutes": 45},
    "session_cancelled": {"other": "Luc", "when": "lundi", "mode": "in_person", "minutes": 60},
    "session_reminder": {"other": "Luc", "when": "lundi", "mode": "in_person", "minutes": 90},
    "evaluation_due": {"other": "Luc", "reminder": True, "link": "https://x.example/e"},
    "digest": {
        "hub": "Capitale",
        "link": "https://x.example/d",
        "matches": [
            {
                "mentee": "Luc G",
                "mentor": "Marie T",
                "status": "stalled",
                "reasons": ["no_recent_session"],
            },
            {
                "mentee": "Ana B",
                "mentor": "Paul R",
                "status": "at_risk",
                "reasons": ["behind_cadence", "midpoint_review_due", "follow_up_due"],
            },
        ],
        "waiting": [{"name": "Alice B", "days": 41}],
    },
}


def test_every_template_has_sample_data_and_both_bodies() -> None:
    assert set(SAMPLES) == set(KINDS)
    for kind in KINDS:
        assert (TEMPLATES_DIR / f"{kind}.txt.j2").is_file()
        assert (TEMPLATES_DIR / f"{kind}.html.j2").is_file()


def test_both_languages_have_the_same_sentences() -> None:
    sentences = catalog()
    assert set(sentences) == set(LOCALES)
    assert set(sentences["fr"]) == set(sentences["en"])
    for key in sentences["fr"]:
        fr, en = sentences["fr"][key], sentences["en"][key]
        assert fr.strip() and en.strip(), key
        assert sorted(re.findall(r"{(\w+)}", fr)) == sorted(re.findall(r"{(\w+)}", en)), key


def test_every_key_a_template_names_exists() -> None:
    keys = set(catalog()["fr"])
    for path in TEMPLATES_DIR.glob("*.j2"):
        source = path.read_text(encoding="utf-8")
        for key in re.findall(r't\("([\w.]+)"\s*[,)]', source):
            assert key in keys, f"{path.name}: {key}"
        # Keys built from a code (`"mode." ~ mode`): the catalog has that family.
        for prefix in re.findall(r't\("([\w.]+\.)"\s*~', source):
            assert any(k.startswith(prefix) for k in keys), f"{path.name}: {prefix}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("locale", LOCALES)
def test_each_template_renders(kind: str, locale: str) -> None:
    email = render(kind, locale, {"name": "Marie <Tremblay> & Cie", **SAMPLES[kind]})
    other = render(kind, "en" if locale == "fr" else "fr", {"name": "Marie", **SAMPLES[kind]})
    assert email.subject and email.subject != other.subject
    assert "Marie <Tremblay> & Cie" in email.text
    # Autoescaped: a name is never markup.
    assert "Marie &lt;Tremblay&gt; &amp; Cie" in email.html and "<Tremblay>" not in email.html
    assert f'<html lang="{locale}">' in email.html
    greeting = "Bonjour" if locale == "fr" else "Hello"
    assert email.text.startswith(greeting)
    for body in (email.subject, email.text, email.html):
        # No placeholder or key left unreplaced.
        assert not re.search(r"{\w+}", body), body
        assert not re.search(r"\b(digest|session|match_\w+|reason|health|mode)\.\w+", body), body


def test_an_unknown_sentence_raises_instead_of_reaching_an_email() -> None:
    with pytest.raises(UntranslatedKey):
        translator("en")("no.such.sentence")
    with pytest.raises(ValueError):
        render("no_such_template", "fr", {})


def test_dates_read_naturally_in_both_languages() -> None:
    from app.notifications.rendering import format_when

    moment = datetime(2026, 12, 7, 19, 30, tzinfo=UTC)
    assert format_when(moment, "fr") == "lundi 7 décembre 2026 à 14 h 30"
    assert format_when(moment, "en") == "Monday, December 7, 2026 at 14:30"
