import re

import pytest

from app.reference.catalog import (
    AVAILABILITY_SLOTS,
    CATALOG,
    REGIONS,
    label,
    reference_payload,
)

EXPECTED_REGIONS = [
    "Bas-Saint-Laurent",
    "Saguenay–Lac-Saint-Jean",
    "Capitale-Nationale",
    "Mauricie",
    "Estrie",
    "Montréal",
    "Outaouais",
    "Abitibi-Témiscamingue",
    "Côte-Nord",
    "Nord-du-Québec",
    "Gaspésie–Îles-de-la-Madeleine",
    "Chaudière-Appalaches",
    "Laval",
    "Lanaudière",
    "Laurentides",
    "Montérégie",
    "Centre-du-Québec",
]

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def test_regions_are_the_seventeen_official_ones_in_code_order() -> None:
    assert list(REGIONS) == [f"{n:02d}" for n in range(1, 18)]
    assert [fr for fr, _ in REGIONS.values()] == EXPECTED_REGIONS
    assert [en for _, en in REGIONS.values()] == EXPECTED_REGIONS


def test_availability_slots_are_the_21_codes_in_week_order() -> None:
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    parts = ["am", "pm", "eve"]
    assert list(AVAILABILITY_SLOTS) == [f"{d}_{p}" for d in days for p in parts]
    assert AVAILABILITY_SLOTS["mon_am"] == ("Lundi matin", "Monday morning")
    assert AVAILABILITY_SLOTS["mon_eve"] == ("Lundi soir", "Monday evening")
    assert AVAILABILITY_SLOTS["sun_pm"] == ("Dimanche après-midi", "Sunday afternoon")


def test_catalog_exposes_every_public_list() -> None:
    assert list(CATALOG) == [
        "regions",
        "legal_forms",
        "sectors",
        "themes",
        "languages",
        "meeting_modes",
        "availability_slots",
        "roles",
        "mentee_statuses",
        "mentor_statuses",
        "match_statuses",
        "session_statuses",
        "locales",
        "api_scopes",
        "webhook_event_types",
    ]


def test_every_label_is_non_empty_in_both_languages() -> None:
    for name, entries in CATALOG.items():
        assert entries, name
        for code, pair in entries.items():
            assert len(pair) == 2, (name, code)
            fr, en = pair
            assert fr.strip() == fr and fr, (name, code)
            assert en.strip() == en and en, (name, code)


def test_no_duplicate_codes_or_labels_within_a_list() -> None:
    payload = reference_payload("fr")
    for name, items in payload.items():
        codes = [item["code"] for item in items]
        assert len(codes) == len(set(codes)), name
        for index in (0, 1):
            labels = [pair[index] for pair in CATALOG[name].values()]
            assert len(labels) == len(set(labels)), (name, index)


def test_codes_are_lowercase_snake_case() -> None:
    for name, entries in CATALOG.items():
        for code in entries:
            if name == "regions":
                assert re.fullmatch(r"\d{2}", code), code
            elif name == "api_scopes":
                resource, _, action = code.partition(":")
                assert SNAKE_CASE.match(resource) and SNAKE_CASE.match(action), code
            elif name == "webhook_event_types":
                resource, _, what = code.partition(".")
                assert SNAKE_CASE.match(resource) and SNAKE_CASE.match(what), code
            else:
                assert SNAKE_CASE.match(code), (name, code)


def test_lists_named_in_the_contract_hold_the_expected_codes() -> None:
    assert set(CATALOG["roles"]) == {"admin", "coordinator", "mentor", "mentee"}
    assert list(CATALOG["mentee_statuses"]) == [
        "applicant",
        "waiting",
        "matched",
        "active",
        "completed",
        "withdrawn",
    ]
    assert list(CATALOG["mentor_statuses"]) == ["candidate", "active", "paused", "retired"]
    assert set(CATALOG["match_statuses"]) == {
        "proposed",
        "accepted",
        "active",
        "completed",
        "declined",
        "cancelled",
        "ended_early",
    }
    assert list(CATALOG["session_statuses"]) == ["scheduled", "held", "cancelled", "no_show"]
    assert list(CATALOG["locales"]) == ["fr", "en"]
    assert list(CATALOG["meeting_modes"]) == ["in_person", "video", "phone"]
    assert "solidarity_coop" in CATALOG["legal_forms"]
    assert "employability_integration" in CATALOG["sectors"]
    assert "isolation_wellbeing" in CATALOG["themes"]
    assert {"ht", "iu", "cr"} <= set(CATALOG["languages"])
    assert "webhooks:manage" in CATALOG["api_scopes"]


def test_reference_payload_labels_follow_the_locale() -> None:
    english = reference_payload("en")
    french = reference_payload("fr")
    assert list(english) == list(CATALOG)
    assert english["regions"][5] == {
        "code": "06",
        "label": "Montréal",
        "labels": {"fr": "Montréal", "en": "Montréal"},
    }
    en_legal = {item["code"]: item["label"] for item in english["legal_forms"]}
    fr_legal = {item["code"]: item["label"] for item in french["legal_forms"]}
    assert en_legal["worker_coop"] == "Worker co-operative"
    assert fr_legal["worker_coop"] == "Coopérative de travail"
    assert english["availability_slots"][0]["label"] == "Monday morning"
    assert french["availability_slots"][0]["label"] == "Lundi matin"
    for name, entries in CATALOG.items():
        assert [item["code"] for item in english[name]] == list(entries)
        assert [item["code"] for item in french[name]] == list(entries)


def test_reference_payload_falls_back_to_french_for_other_locales() -> None:
    assert reference_payload("es") == reference_payload("fr")


def test_label_returns_the_label_in_the_locale() -> None:
    assert label("sectors", "housing", "en") == "Housing"
    assert label("sectors", "housing", "fr") == "Habitation"
    assert label("regions", "03", "fr") == "Capitale-Nationale"


def test_label_raises_on_unknown_list_or_code() -> None:
    with pytest.raises(KeyError):
        label("sectors", "space_mining", "fr")
    with pytest.raises(KeyError):
        label("planets", "earth", "en")


def test_webhook_event_types_are_the_published_events_partners_may_hear() -> None:
    from app.core.events import EVENT_TYPES

    assert set(CATALOG["webhook_event_types"]) == {
        kind for kind in EVENT_TYPES if not kind.startswith("user.")
    }
