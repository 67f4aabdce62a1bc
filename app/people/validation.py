"""Field validators for person and enterprise fields, against /reference codes."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any

import phonenumbers
from pydantic import AfterValidator, Field

from app.core.types import utcnow
from app.reference.catalog import (
    AVAILABILITY_SLOTS,
    LANGUAGES,
    LEGAL_FORMS,
    MEETING_MODES,
    REGIONS,
    SECTORS,
    THEMES,
    AvailabilityCode,
    LanguageCode,
    LegalFormCode,
    MeetingModeCode,
    RegionCode,
    SectorCode,
    ThemeCode,
)

# French text typed on phones and in word processors: ligatures, typographic apostrophes and
# dashes that NFKD leaves alone, folded to what people type on a keyboard ("coeur" ~ "Cœur").
_SEARCH_FOLDS = str.maketrans(
    {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
    }
)


def normalise_search(text: str) -> str:
    """Lowercase, accent-free, single-spaced: how names are searched ("Véronique" ~ "veronique")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SEARCH_FOLDS))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def _code_list(mapping: Mapping[str, Any], list_name: str) -> Callable[[list[str]], list[str]]:
    def check(values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in mapping]
        if unknown:
            raise ValueError(f"unknown code(s) {', '.join(unknown)}; see /reference {list_name}")
        return list(dict.fromkeys(values))

    return check


def _code(mapping: Mapping[str, Any], list_name: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in mapping:
            raise ValueError(f"unknown code {value}; see /reference {list_name}")
        return value

    return check


def phone_e164(value: str) -> str | None:
    """A valid phone number (Canada by default) in E.164 form, or None."""
    try:
        number = phonenumbers.parse(value, "CA")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone(value: str) -> str:
    number = phone_e164(value)
    if number is None:
        raise ValueError("not a valid phone number")
    return number


def _not_future(value: date) -> date:
    if value > utcnow().date():
        raise ValueError("date may not be in the future")
    if value.year < 1900:
        raise ValueError("year must be 1900 or later")
    return value


def _clean_names(values: list[str]) -> list[str]:
    cleaned = [" ".join(v.split()) for v in values]
    if any(not v for v in cleaned):
        raise ValueError("names may not be empty")
    return list(dict.fromkeys(cleaned))


Languages = Annotated[
    list[LanguageCode],
    Field(min_length=1, max_length=20),
    AfterValidator(_code_list(LANGUAGES, "languages")),
]
MeetingModes = Annotated[
    list[MeetingModeCode],
    Field(max_length=3),
    AfterValidator(_code_list(MEETING_MODES, "meeting_modes")),
]
Availability = Annotated[
    list[AvailabilityCode],
    Field(max_length=21),
    AfterValidator(_code_list(AVAILABILITY_SLOTS, "availability_slots")),
]
Themes = Annotated[
    list[ThemeCode], Field(max_length=30), AfterValidator(_code_list(THEMES, "themes"))
]
Sectors = Annotated[
    list[SectorCode], Field(max_length=30), AfterValidator(_code_list(SECTORS, "sectors"))
]
LegalForms = Annotated[
    list[LegalFormCode],
    Field(max_length=10),
    AfterValidator(_code_list(LEGAL_FORMS, "legal_forms")),
]
Regions = Annotated[
    list[RegionCode], Field(max_length=17), AfterValidator(_code_list(REGIONS, "regions"))
]
Region = Annotated[RegionCode, AfterValidator(_code(REGIONS, "regions"))]
Sector = Annotated[SectorCode, AfterValidator(_code(SECTORS, "sectors"))]
LegalForm = Annotated[LegalFormCode, AfterValidator(_code(LEGAL_FORMS, "legal_forms"))]
Phone = Annotated[str, Field(max_length=32), AfterValidator(_phone)]
PastDate = Annotated[date, AfterValidator(_not_future)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
OrganisationNames = Annotated[
    list[Annotated[str, Field(max_length=200)]], Field(max_length=50), AfterValidator(_clean_names)
]
