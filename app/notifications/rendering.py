"""Email templates: Jinja2 files in one folder, plain text and HTML, French and English.

Every sentence comes from `templates/i18n.json` through `t(key, **params)`, so both
languages have the same keys; an unknown key raises instead of showing up in an email.
HTML is autoescaped (names typed by people are never markup).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from app.core.clock import local

TEMPLATES_DIR = Path(__file__).parent / "templates"
LOCALES = ("fr", "en")
KINDS = (
    "invitation",
    "password_reset",
    "match_proposed",
    "match_accepted",
    "match_activated",
    "session_scheduled",
    "session_rescheduled",
    "session_cancelled",
    "session_reminder",
    "evaluation_due",
    "digest",
)
# Messages a person may turn off, and the preference that controls each.
OPTIONAL: Mapping[str, str] = {
    "session_reminder": "reminders",
    "evaluation_reminder": "reminders",
    "digest": "digest",
}

_MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "en": "January February March April May June July August September October November December",
}
_DAYS = {
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
}


class UntranslatedKey(KeyError):
    """A template asked for a sentence the catalog does not have in this language."""


@dataclass(frozen=True)
class RenderedEmail:
    """Subject and both bodies of one message."""

    subject: str
    text: str
    html: str


@lru_cache
def catalog() -> dict[str, dict[str, str]]:
    """The sentences of every template, by locale."""
    data: dict[str, dict[str, str]] = json.loads(
        (TEMPLATES_DIR / "i18n.json").read_text(encoding="utf-8")
    )
    return data


def lang(locale: str | None) -> str:
    """A supported locale (French unless English is asked for)."""
    return "en" if locale == "en" else "fr"


def translator(locale: str) -> Callable[..., str]:
    """`t(key, **params)` in one language."""
    sentences = catalog()[lang(locale)]

    def t(key: str, **params: Any) -> str:
        try:
            text = sentences[key]
        except KeyError:
            raise UntranslatedKey(f"{lang(locale)}:{key}") from None
        return text.format(**params)

    return t


@pass_context
def _reason(context: Context, code: str) -> str:
    t: Callable[..., str] = context["t"]
    return t(f"reason.{code}")


@lru_cache
def environment() -> Environment:
    """The template environment: files of this folder, strict, HTML autoescaped."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["tr_reason"] = _reason
    return env


def format_when(moment: datetime, locale: str) -> str:
    """A meeting time as people read it, in Montréal time."""
    shown = local(moment)
    language = lang(locale)
    day = _DAYS[language].split()[shown.weekday()]
    month = _MONTHS[language].split()[shown.month - 1]
    if language == "en":
        return f"{day}, {month} {shown.day}, {shown.year} at {shown:%H:%M}"
    return f"{day} {shown.day} {month} {shown.year} à {shown.hour} h {shown:%M}"


def format_day(value: date, locale: str) -> str:
    """A date as people read it."""
    language = lang(locale)
    month = _MONTHS[language].split()[value.month - 1]
    if language == "en":
        return f"{month} {value.day}, {value.year}"
    return f"{value.day} {month} {value.year}"


def render(kind: str, locale: str, context: Mapping[str, Any]) -> RenderedEmail:
    """Subject, text and HTML of a message in the recipient's language."""
    if kind not in KINDS:
        raise ValueError(f"unknown template: {kind}")
    language = lang(locale)
    t = translator(language)
    values: dict[str, Any] = {
        "optional": False,
        "attachment": False,
        **context,
        "t": t,
        "locale": language,
    }
    subject = t(f"{kind}.subject", **values)
    values["subject"] = subject
    env = environment()
    text = env.get_template(f"{kind}.txt.j2").render(values)
    html = env.get_template(f"{kind}.html.j2").render(values)
    return RenderedEmail(subject=subject, text=text, html=html)
