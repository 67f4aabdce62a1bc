"""Encoding of features into arrays."""

import numpy as np
import pytest

from app.matching.features import (
    MenteeFeatures,
    MentorFeatures,
    MentorPool,
    Vocabulary,
    normalize_organization,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Coopérative de solidarité L'Élan", "cooperative de solidarite l’elan"),
        ("  CDEC   Centre-Sud ", "cdec centre sud"),
        ("Coop. Ânes & Cie", "COOP ANES & CIE"),
        ("ＡＢＣ", "abc"),  # full-width letters fold under NFKD
    ],
)
def test_organization_names_compare_without_case_accents_or_spacing(a: str, b: str) -> None:
    assert normalize_organization(a) == normalize_organization(b)


def test_distinct_organizations_stay_distinct() -> None:
    assert normalize_organization("Coop A") != normalize_organization("Coop B")


@pytest.mark.parametrize("name", [None, "", "   ", "-- ."])
def test_blank_organization_name_has_no_key(name: str | None) -> None:
    assert normalize_organization(name) is None


def test_vocabulary_ignores_unknown_codes_and_spans_several_words() -> None:
    vocab = Vocabulary(f"c{i}" for i in range(70))
    assert vocab.words == 2
    masks = vocab.encode([{"c0", "c69", "unknown"}, set()])
    assert masks.shape == (2, 2)
    assert int(np.bitwise_count(masks[0]).sum()) == 2
    assert int(masks[1].sum()) == 0
    assert vocab.position("unknown") == len(vocab) == vocab.position(None)


def test_pool_encodes_masks_and_scalars() -> None:
    mentors = [
        MentorFeatures(
            id="m1",
            expertise={"finance", "governance"},
            languages={"fr"},
            meeting_modes={"video", "bogus"},
            availability={"mon_am", "sun_eve", "noon"},
            years_experience=-3,
            capacity_left=2,
            eligible=True,
            excluded_organizations={"Coop Élan", "COOP ELAN"},
            blocked_mentee_ids={"x"},
        ),
        MentorFeatures(id="m2", expertise={"hr"}),
    ]
    pool = MentorPool.build(mentors, {"themes": ["hr"]})
    assert pool.themes.codes[0] == "hr"  # given order first
    assert len(pool) == 2
    assert int(np.bitwise_count(pool.expertise[0]).sum()) == 2
    assert pool.availability_count.tolist() == [2, 0]
    assert pool.modes.tolist() == [2, 0]
    assert pool.years.tolist() == [0, 0]
    assert pool.capacity_left.tolist() == [2, 0]
    assert pool.eligible.tolist() == [True, False]
    assert pool.excluded_by_organization["coopelan"].tolist() == [0]
    assert pool.blocked_by_mentee["x"].tolist() == [0]
    assert pool.mentor("m2") is mentors[1]


def test_duplicate_mentor_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        MentorPool.build([MentorFeatures(id="a"), MentorFeatures(id="a")])


def test_mentee_codes_unknown_to_the_pool_still_count_as_needs() -> None:
    pool = MentorPool.build([MentorFeatures(id="m", expertise={"finance"})])
    enc = pool.encode_mentees([MenteeFeatures(id="x", needs={"finance", "space_travel"})])
    assert enc.needs_count.tolist() == [2.0]
    assert int(np.bitwise_count(enc.needs).sum()) == 1
    assert enc.sector.tolist() == [len(pool.sectors_vocabulary)]
