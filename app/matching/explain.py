"""Human reasons, in French or English, for a mentor's score with a mentee."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from app.matching.features import MEETING_MODES, MenteeFeatures, MentorFeatures
from app.matching.scoring import CriterionScore

# (list_name, code, locale) → label; the reference catalog's lookup fits here.
LabelFn = Callable[[str, str, str], str]

# List names passed to the label function, as served by GET /reference.
THEMES = "themes"
SECTORS = "sectors"
LEGAL_FORMS = "legal_forms"
MEETING_MODES_LIST = "meeting_modes"

MAX_LISTED_NEEDS = 3  # beyond that the sentence gets long; "…" says there are more

_TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "needs_all": "Couvre vos {n} besoins : {labels}",
        "needs_one_of_one": "Couvre votre besoin : {labels}",
        "needs_some": "Couvre {k} de vos {n} besoins : {labels}",
        "sector": "Connaît votre secteur : {label}",
        "legal_form": "Connaît votre forme juridique : {label}",
        "region": "Sert votre région (rencontres en personne possibles)",
        "remote": "Rencontres à distance possibles : {modes}",
        "slots_one": "Disponibilités communes : 1 créneau",
        "slots_many": "Disponibilités communes : {n} créneaux",
        "years_one": "1 an d'expérience",
        "years_many": "{n} ans d'expérience",
        "sep": ", ",
        "more": ", …",
    },
    "en": {
        "needs_all": "Covers all {n} of your needs: {labels}",
        "needs_one_of_one": "Covers your need: {labels}",
        "needs_some": "Covers {k} of your {n} needs: {labels}",
        "sector": "Knows your sector: {label}",
        "legal_form": "Knows your legal form: {label}",
        "region": "Serves your region (in-person meetings possible)",
        "remote": "Can meet remotely: {modes}",
        "slots_one": "Common availability: 1 slot",
        "slots_many": "Common availability: {n} slots",
        "years_one": "1 year of experience",
        "years_many": "{n} years of experience",
        "sep": ", ",
        "more": ", …",
    },
}

# Used when no label function is given (or it fails) for the three meeting modes.
_MODE_FALLBACK: dict[str, dict[str, str]] = {
    "fr": {"in_person": "en personne", "video": "vidéo", "phone": "téléphone"},
    "en": {"in_person": "in person", "video": "video", "phone": "phone"},
}


def _locale(locale: str) -> str:
    """Supported locale for a requested one ("fr-CA" → "fr"); French by default."""
    base = locale.replace("_", "-").split("-", 1)[0].lower() if locale else "fr"
    return base if base in _TEXTS else "fr"


def _label(
    labels: LabelFn | None, list_name: str, code: str, locale: str, fallback: str | None = None
) -> str:
    """Catalog label of a code, else the fallback, else the code itself."""
    default = fallback or code
    if labels is None:
        return default
    try:
        label = labels(list_name, code, locale)
    except (KeyError, LookupError, ValueError):
        return default
    return label or default


def _join(items: Iterable[str], texts: Mapping[str, str], limit: int | None = None) -> str:
    """Comma-separated list, cut after `limit` items with an ellipsis."""
    listed = list(items)
    if limit is not None and len(listed) > limit:
        return texts["sep"].join(listed[:limit]) + texts["more"]
    return texts["sep"].join(listed)


def _weighted(breakdown: Mapping[str, CriterionScore], criterion: str) -> float:
    """A criterion's value, or 0 when the hub gives it no weight (then it is not said)."""
    item = breakdown.get(criterion)
    if item is None or item["weight"] <= 0:
        return 0.0
    return item["value"]


def explain(
    breakdown: Mapping[str, CriterionScore],
    mentee: MenteeFeatures,
    mentor: MentorFeatures,
    locale: str = "fr",
    labels: LabelFn | None = None,
) -> list[str]:
    """One short reason per criterion that speaks for this mentor, strongest first."""
    loc = _locale(locale)
    texts = _TEXTS[loc]
    reasons: list[tuple[float, str]] = []

    def add(criterion: str, text: str) -> None:
        item = breakdown.get(criterion)
        reasons.append((item["points"] if item else 0.0, text))

    needs = set(mentee.needs)
    covered = sorted(needs & set(mentor.expertise))
    if _weighted(breakdown, "needs") > 0 and covered and needs:
        names = [_label(labels, THEMES, code, loc) for code in covered]
        joined = _join(names, texts, MAX_LISTED_NEEDS)
        if len(covered) == len(needs):
            key = "needs_one_of_one" if len(needs) == 1 else "needs_all"
        else:
            key = "needs_some"
        add("needs", texts[key].format(k=len(covered), n=len(needs), labels=joined))

    if _weighted(breakdown, "sector") > 0 and mentee.sector:
        label = _label(labels, SECTORS, mentee.sector, loc)
        add("sector", texts["sector"].format(label=label))

    if _weighted(breakdown, "legal_form") > 0 and mentee.legal_form:
        label = _label(labels, LEGAL_FORMS, mentee.legal_form, loc)
        add("legal_form", texts["legal_form"].format(label=label))

    proximity = _weighted(breakdown, "proximity")
    if proximity >= 1.0:
        add("proximity", texts["region"])
    elif proximity > 0:
        common = set(mentee.meeting_modes) & set(mentor.meeting_modes)
        remote = [mode for mode in MEETING_MODES if mode in common and mode != "in_person"]
        modes = [
            _label(labels, MEETING_MODES_LIST, mode, loc, _MODE_FALLBACK[loc][mode])
            for mode in remote
        ]
        add("proximity", texts["remote"].format(modes=_join(modes, texts)))

    if _weighted(breakdown, "availability") > 0:
        slots = len(set(mentee.availability) & set(mentor.availability))
        if slots:
            key = "slots_one" if slots == 1 else "slots_many"
            add("availability", texts[key].format(n=slots))

    if _weighted(breakdown, "experience") > 0 and mentor.years_experience > 0:
        years = mentor.years_experience
        key = "years_one" if years == 1 else "years_many"
        add("experience", texts[key].format(n=years))

    # Stable sort: equal points keep the CRITERIA order used above.
    reasons.sort(key=lambda pair: -pair[0])
    return [text for _, text in reasons]
