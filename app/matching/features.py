"""Mentor and mentee features, and their encoding into numpy arrays."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS_OF_DAY: tuple[str, ...] = ("am", "pm", "eve")
AVAILABILITY_SLOTS: tuple[str, ...] = tuple(f"{d}_{p}" for d in DAYS for p in PARTS_OF_DAY)
MEETING_MODES: tuple[str, ...] = ("in_person", "video", "phone")
REGIONS: tuple[str, ...] = tuple(f"{n:02d}" for n in range(1, 18))

IN_PERSON = np.uint8(1)
REMOTE = np.uint8(2 | 4)  # video | phone

WORD_BITS = 64
Mask = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class MenteeFeatures:
    """What the engine needs to know about a mentee (a leader seeking a mentor)."""

    id: str
    needs: AbstractSet[str] = frozenset()
    sector: str | None = None
    legal_form: str | None = None
    region: str | None = None
    organization_name: str | None = None
    languages: AbstractSet[str] = frozenset()
    meeting_modes: AbstractSet[str] = frozenset()
    availability: AbstractSet[str] = frozenset()


@dataclass(frozen=True, slots=True)
class MentorFeatures:
    """What the engine needs to know about a mentor."""

    id: str
    expertise: AbstractSet[str] = frozenset()
    sectors: AbstractSet[str] = frozenset()
    legal_forms_known: AbstractSet[str] = frozenset()
    regions_served: AbstractSet[str] = frozenset()
    languages: AbstractSet[str] = frozenset()
    meeting_modes: AbstractSet[str] = frozenset()
    availability: AbstractSet[str] = frozenset()
    years_experience: int = 0
    capacity_left: int = 0
    excluded_organizations: AbstractSet[str] = frozenset()
    eligible: bool = False
    # Mentee ids whose pairing with this mentor was declined or ended early.
    blocked_mentee_ids: AbstractSet[str] = frozenset()


def normalize_organization(name: str | None) -> str | None:
    """Fold an organisation name so case, accents, spaces and punctuation do not matter."""
    if not name:
        return None
    decomposed = unicodedata.normalize("NFKD", name)
    # Keeping only letters and digits also absorbs "Coop." vs "Coop", "l'Envol" vs
    # "l’Envol": a conflict of interest that slips through is worse than a false alarm.
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch.isalnum())
    folded = folded.casefold()
    return folded or None


class Vocabulary:
    """Stable code → bit position mapping; unknown codes map to no bit."""

    __slots__ = ("codes", "index")

    def __init__(self, codes: Iterable[str]) -> None:
        ordered: list[str] = []
        index: dict[str, int] = {}
        for code in codes:
            if code not in index:
                index[code] = len(ordered)
                ordered.append(code)
        self.codes: tuple[str, ...] = tuple(ordered)
        self.index: dict[str, int] = index

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def words(self) -> int:
        """Number of uint64 words a mask over this vocabulary needs (at least one)."""
        return max(1, -(-len(self.codes) // WORD_BITS))

    def position(self, code: str | None) -> int:
        """Index of a single code, or len(self) for an unknown or missing code."""
        if code is None:
            return len(self.codes)
        return self.index.get(code, len(self.codes))

    def encode(self, sets: Sequence[AbstractSet[str]]) -> Mask:
        """Encode each set as a row of uint64 words; unknown codes are dropped."""
        out = np.zeros((len(sets), self.words), dtype=np.uint64)
        for row, codes in enumerate(sets):
            for code in codes:
                pos = self.index.get(code)
                if pos is not None:
                    word, bit = divmod(pos, WORD_BITS)
                    out[row, word] |= np.uint64(1 << bit)
        return out

    def table(self, sets: Sequence[AbstractSet[str]]) -> npt.NDArray[np.bool_]:
        """Boolean table [code, row] with one extra all-False row for unknown codes."""
        out = np.zeros((len(self.codes) + 1, len(sets)), dtype=np.bool_)
        for col, codes in enumerate(sets):
            for code in codes:
                pos = self.index.get(code)
                if pos is not None:
                    out[pos, col] = True
        return out


def _small_mask(sets: Sequence[AbstractSet[str]], vocabulary: Vocabulary) -> Mask:
    """Single-word masks for fixed vocabularies of at most 64 codes."""
    return vocabulary.encode(sets)[:, 0].copy()


SLOT_VOCABULARY = Vocabulary(AVAILABILITY_SLOTS)
MODE_VOCABULARY = Vocabulary(MEETING_MODES)


def _collect(sets: Iterable[AbstractSet[str]], extra: Iterable[str] = ()) -> list[str]:
    """Sorted codes seen, after any codes given up front (so bit positions are stable)."""
    seen: set[str] = set()
    for codes in sets:
        seen.update(codes)
    given = list(dict.fromkeys(extra))
    return given + sorted(seen.difference(given))


@dataclass(frozen=True, slots=True)
class EncodedMentees:
    """A batch of mentees encoded against a pool's vocabularies."""

    ids: tuple[str, ...]
    needs: Mask  # (n, words)
    needs_count: npt.NDArray[np.float64]  # all stated needs, unknown codes included
    sector: npt.NDArray[np.intp]
    legal_form: npt.NDArray[np.intp]
    region: npt.NDArray[np.intp]
    languages: Mask  # (n, words)
    modes: npt.NDArray[np.uint8]
    availability: Mask  # (n,)
    availability_count: npt.NDArray[np.uint8]
    organizations: tuple[str | None, ...]

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(slots=True)
class MentorPool:
    """Mentor features encoded once as arrays, ready to score many mentees against."""

    mentors: tuple[MentorFeatures, ...]
    ids: tuple[str, ...]
    themes: Vocabulary
    sectors_vocabulary: Vocabulary
    legal_forms_vocabulary: Vocabulary
    regions_vocabulary: Vocabulary
    languages_vocabulary: Vocabulary
    expertise: Mask  # (m, words)
    sectors: Mask
    legal_forms: Mask
    regions: Mask
    languages: Mask
    modes: npt.NDArray[np.uint8]
    availability: Mask  # (m,)
    availability_count: npt.NDArray[np.uint8]
    years: npt.NDArray[np.int64]
    capacity_left: npt.NDArray[np.int64]
    eligible: npt.NDArray[np.bool_]
    # Lookup tables [code, mentor] for the mentee's single-valued fields, holding the
    # bit each one contributes to the scorer's combined code (sector 1, legal form 2,
    # region 4), so one gather per field replaces a shift per pair.
    sector_bits: npt.NDArray[np.uint16]
    legal_form_bits: npt.NDArray[np.uint16]
    region_bits: npt.NDArray[np.uint16]
    # Sparse hard constraints: folded organisation / mentee id → mentor indices.
    excluded_by_organization: dict[str, npt.NDArray[np.intp]]
    blocked_by_mentee: dict[str, npt.NDArray[np.intp]]
    position: dict[str, int] = field(default_factory=dict)
    # Derived per-mentor arrays the scorer computes once per pool (see scoring.py).
    cache: dict[str, npt.NDArray[Any]] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(
        cls,
        mentors: Sequence[MentorFeatures],
        vocabularies: Mapping[str, Iterable[str]] | None = None,
    ) -> MentorPool:
        """Encode mentors; `vocabularies` (themes, sectors, legal_forms, regions,
        languages) may fix code order, other codes seen are appended."""
        given = vocabularies or {}
        themes = Vocabulary(_collect((m.expertise for m in mentors), given.get("themes", ())))
        sectors = Vocabulary(_collect((m.sectors for m in mentors), given.get("sectors", ())))
        legal = Vocabulary(
            _collect((m.legal_forms_known for m in mentors), given.get("legal_forms", ()))
        )
        regions = Vocabulary(
            _collect((m.regions_served for m in mentors), given.get("regions", REGIONS))
        )
        languages = Vocabulary(_collect((m.languages for m in mentors), given.get("languages", ())))
        ids = tuple(m.id for m in mentors)
        position = {mentor_id: i for i, mentor_id in enumerate(ids)}
        if len(position) != len(ids):
            raise ValueError("mentor ids must be unique in a pool")

        excluded: dict[str, list[int]] = {}
        blocked: dict[str, list[int]] = {}
        for i, mentor in enumerate(mentors):
            folded = {normalize_organization(name) for name in mentor.excluded_organizations}
            for name in folded:
                if name is not None:
                    excluded.setdefault(name, []).append(i)
            for mentee_id in set(mentor.blocked_mentee_ids):
                blocked.setdefault(mentee_id, []).append(i)

        availability = _small_mask([m.availability for m in mentors], SLOT_VOCABULARY)
        return cls(
            mentors=tuple(mentors),
            ids=ids,
            themes=themes,
            sectors_vocabulary=sectors,
            legal_forms_vocabulary=legal,
            regions_vocabulary=regions,
            languages_vocabulary=languages,
            expertise=themes.encode([m.expertise for m in mentors]),
            sectors=sectors.encode([m.sectors for m in mentors]),
            legal_forms=legal.encode([m.legal_forms_known for m in mentors]),
            regions=regions.encode([m.regions_served for m in mentors]),
            languages=languages.encode([m.languages for m in mentors]),
            modes=_small_mask([m.meeting_modes for m in mentors], MODE_VOCABULARY).astype(np.uint8),
            availability=availability,
            availability_count=np.bitwise_count(availability).astype(np.uint8),
            years=np.array([max(0, m.years_experience) for m in mentors], dtype=np.int64),
            capacity_left=np.array([max(0, m.capacity_left) for m in mentors], dtype=np.int64),
            eligible=np.array([bool(m.eligible) for m in mentors], dtype=np.bool_),
            sector_bits=sectors.table([m.sectors for m in mentors]).astype(np.uint16),
            legal_form_bits=legal.table([m.legal_forms_known for m in mentors]).astype(np.uint16)
            << np.uint16(1),
            region_bits=regions.table([m.regions_served for m in mentors]).astype(np.uint16)
            << np.uint16(2),
            excluded_by_organization={k: np.array(v, dtype=np.intp) for k, v in excluded.items()},
            blocked_by_mentee={k: np.array(v, dtype=np.intp) for k, v in blocked.items()},
            position=position,
        )

    def mentor(self, mentor_id: str) -> MentorFeatures:
        """The features of one mentor of the pool (KeyError if absent)."""
        return self.mentors[self.position[mentor_id]]

    def encode_mentees(self, mentees: Sequence[MenteeFeatures]) -> EncodedMentees:
        """Encode mentees against this pool's vocabularies."""
        availability = _small_mask([m.availability for m in mentees], SLOT_VOCABULARY)
        return EncodedMentees(
            ids=tuple(m.id for m in mentees),
            needs=self.themes.encode([m.needs for m in mentees]),
            needs_count=np.array([len(set(m.needs)) for m in mentees], dtype=np.float64),
            sector=np.array(
                [self.sectors_vocabulary.position(m.sector) for m in mentees], dtype=np.intp
            ),
            legal_form=np.array(
                [self.legal_forms_vocabulary.position(m.legal_form) for m in mentees],
                dtype=np.intp,
            ),
            region=np.array(
                [self.regions_vocabulary.position(m.region) for m in mentees], dtype=np.intp
            ),
            languages=self.languages_vocabulary.encode([m.languages for m in mentees]),
            modes=_small_mask([m.meeting_modes for m in mentees], MODE_VOCABULARY).astype(np.uint8),
            availability=availability,
            availability_count=np.bitwise_count(availability).astype(np.uint8),
            organizations=tuple(normalize_organization(m.organization_name) for m in mentees),
        )
