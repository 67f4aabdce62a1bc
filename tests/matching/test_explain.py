"""Human explanations of a score, in French and English."""

from typing import Any

import pytest

from app.matching.explain import explain
from app.matching.features import MenteeFeatures, MentorFeatures, MentorPool
from app.matching.scoring import Breakdown, score_one
from app.matching.weights import DEFAULT_WEIGHTS

LABELS = {
    ("themes", "governance", "fr"): "gouvernance",
    ("themes", "financing", "fr"): "financement",
    ("themes", "hr", "fr"): "ressources humaines",
    ("themes", "governance", "en"): "governance",
    ("themes", "financing", "en"): "financing",
    ("themes", "hr", "en"): "human resources",
    ("legal_forms", "solidarity_coop", "fr"): "Coopérative de solidarité",
    ("legal_forms", "solidarity_coop", "en"): "Solidarity co-operative",
    ("sectors", "agri_food", "fr"): "Agroalimentaire",
    ("sectors", "agri_food", "en"): "Agri-food",
    ("meeting_modes", "video", "fr"): "visioconférence",
}


def label(list_name: str, code: str, locale: str) -> str:
    """A stand-in for the reference catalog's label lookup."""
    return LABELS[(list_name, code, locale)]


MENTEE = MenteeFeatures(
    id="x",
    needs={"governance", "financing", "hr", "marketing"},
    sector="agri_food",
    legal_form="solidarity_coop",
    region="06",
    languages={"fr"},
    meeting_modes={"in_person", "video"},
    availability={"mon_am", "tue_pm", "wed_eve", "thu_eve", "fri_am"},
)
MENTOR = MentorFeatures(
    id="m",
    expertise={"governance", "financing", "hr"},
    sectors={"agri_food"},
    legal_forms_known={"solidarity_coop"},
    regions_served={"06"},
    languages={"fr"},
    meeting_modes={"in_person", "video"},
    availability={"mon_am", "tue_pm", "wed_eve", "thu_eve", "sat_am"},
    years_experience=15,
    capacity_left=1,
    eligible=True,
)


def breakdown_of(mentee: MenteeFeatures, mentor: MentorFeatures, **kw: Any) -> Breakdown:
    """Breakdown of one pair as the ranking computes it."""
    return score_one(mentee, MentorPool.build([mentor]), **kw).candidates[0].breakdown


def test_french_reasons_by_default_strongest_first() -> None:
    reasons = explain(breakdown_of(MENTEE, MENTOR), MENTEE, MENTOR, labels=label)
    assert reasons == [
        "Couvre 3 de vos 4 besoins : financement, gouvernance, ressources humaines",
        "Connaît votre secteur : Agroalimentaire",
        "Sert votre région (rencontres en personne possibles)",
        "Disponibilités communes : 4 créneaux",
        "Connaît votre forme juridique : Coopérative de solidarité",
        "15 ans d'expérience",
    ]


def test_english_reasons() -> None:
    reasons = explain(breakdown_of(MENTEE, MENTOR), MENTEE, MENTOR, "en-CA", label)
    assert reasons == [
        "Covers 3 of your 4 needs: financing, governance, human resources",
        "Knows your sector: Agri-food",
        "Serves your region (in-person meetings possible)",
        "Common availability: 4 slots",
        "Knows your legal form: Solidarity co-operative",
        "15 years of experience",
    ]


def test_codes_stand_in_for_labels_and_unknown_locale_falls_back_to_french() -> None:
    reasons = explain(breakdown_of(MENTEE, MENTOR), MENTEE, MENTOR, "de")
    assert reasons[0] == "Couvre 3 de vos 4 besoins : financing, governance, hr"
    assert "Connaît votre secteur : agri_food" in reasons


def test_a_failing_label_lookup_falls_back_to_the_code() -> None:
    mentee = MenteeFeatures(id="x", needs={"marketing"}, languages={"fr"})
    mentor = MentorFeatures(
        id="m", expertise={"marketing"}, languages={"fr"}, capacity_left=1, eligible=True
    )
    reasons = explain(breakdown_of(mentee, mentor), mentee, mentor, "en", label)
    assert reasons == ["Covers your need: marketing"]


def test_only_what_speaks_for_the_mentor_is_said() -> None:
    mentee = MenteeFeatures(
        id="x",
        needs={"governance", "hr"},
        sector="housing",
        region="03",
        languages={"fr"},
        meeting_modes={"in_person", "video", "phone"},
        availability={"mon_am"},
    )
    mentor = MentorFeatures(
        id="m",
        expertise={"governance", "hr"},
        regions_served={"06"},
        languages={"fr"},
        meeting_modes={"in_person", "phone", "video"},
        availability={"mon_am"},
        years_experience=1,
        capacity_left=1,
        eligible=True,
    )
    fr = explain(breakdown_of(mentee, mentor), mentee, mentor, labels=label)
    assert fr == [
        "Couvre vos 2 besoins : gouvernance, ressources humaines",
        "Disponibilités communes : 1 créneau",
        "Rencontres à distance possibles : visioconférence, téléphone",
        "1 an d'expérience",
    ]
    en = explain(breakdown_of(mentee, mentor), mentee, mentor, "en")
    assert "Can meet remotely: video, phone" in en
    assert "Common availability: 1 slot" in en
    assert "1 year of experience" in en


def test_long_need_lists_are_cut_with_an_ellipsis() -> None:
    needs = {"a", "b", "c", "d", "e"}
    mentee = MenteeFeatures(id="x", needs=needs, languages={"fr"})
    mentor = MentorFeatures(
        id="m", expertise=needs, languages={"fr"}, capacity_left=1, eligible=True
    )
    reasons = explain(breakdown_of(mentee, mentor), mentee, mentor)
    assert reasons[0] == "Couvre vos 5 besoins : a, b, c, …"


@pytest.mark.parametrize("criterion", ["sector", "experience"])
def test_criteria_the_hub_does_not_weigh_are_not_mentioned(criterion: str) -> None:
    weights = DEFAULT_WEIGHTS | {criterion: 0.0}
    breakdown = breakdown_of(MENTEE, MENTOR, weights=weights)
    reasons = explain(breakdown, MENTEE, MENTOR, "en")
    silenced = "15 years" if criterion == "experience" else "Knows your sector"
    assert not any(r.startswith(silenced) for r in reasons)
    assert len(reasons) == 5
