"""Mentor and mentee features, and their encoding into numpy arrays."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import chain, repeat
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

    def _flat_positions(
        self, sets: Sequence[Collection[str]]
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """(row, bit position) of every known code, without a Python loop per code."""
        lengths = np.fromiter(map(len, sets), dtype=np.intp, count=len(sets))
        flat = list(chain.from_iterable(sets))
        positions = np.fromiter(
            map(self.index.get, flat, repeat(-1, len(flat))), dtype=np.intp, count=len(flat)
        )
        rows = np.repeat(np.arange(len(sets), dtype=np.intp), lengths)
        known = positions >= 0
        return rows[known], positions[known]

    def encode(self, sets: Sequence[Collection[str]]) -> Mask:
        """Encode each set as a row of uint64 words; unknown codes are dropped."""
        out = np.zeros((len(sets), self.words), dtype=np.uint64)
        rows, positions = self._flat_positions(sets)
        word, bit = np.divmod(positions, WORD_BITS)
        np.bitwise_or.at(out, (rows, word), np.left_shift(np.uint64(1), bit.astype(np.uint64)))
        return out

    def table(self, sets: Sequence[Collection[str]]) -> npt.NDArray[np.bool_]:
        """Boolean table [code, row] with one extra all-False row for unknown codes."""
        out = np.zeros((len(self.codes) + 1, len(sets)), dtype=np.bool_)
        rows, positions = self._flat_positions(sets)
        out[positions, rows] = True
        return out


def _small_mask(sets: Sequence[Collection[str]], vocabulary: Vocabulary) -> Mask:
    """Single-word masks for fixed vocabularies of at most 64 codes."""
    return vocabulary.encode(sets)[:, 0].copy()


SLOT_VOCABULARY = Vocabulary(AVAILABILITY_SLOTS)
MODE_VOCABULARY = Vocabulary(MEETING_MODES)


def _collect(sets: Iterable[Collection[str]], extra: Iterable[str] = ()) -> list[str]:
    """Sorted codes seen, after any codes given up front (so bit positions are stable)."""
    seen: set[str] = set(chain.from_iterable(sets))
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


@dataclass(frozen=True, slots=True)
class MentorColumns:
    """Mentors' code lists, one list per field, in pool order (a column store)."""

    expertise: Sequence[Collection[str]]
    sectors: Sequence[Collection[str]]
    legal_forms_known: Sequence[Collection[str]]
    regions_served: Sequence[Collection[str]]
    languages: Sequence[Collection[str]]
    meeting_modes: Sequence[Collection[str]]
    availability: Sequence[Collection[str]]
    excluded_organizations: Sequence[Collection[str]]


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
        pool = cls.from_columns(
            [m.id for m in mentors],
            MentorColumns(
                expertise=[m.expertise for m in mentors],
                sectors=[m.sectors for m in mentors],
                legal_forms_known=[m.legal_forms_known for m in mentors],
                regions_served=[m.regions_served for m in mentors],
                languages=[m.languages for m in mentors],
                meeting_modes=[m.meeting_modes for m in mentors],
                availability=[m.availability for m in mentors],
                excluded_organizations=[m.excluded_organizations for m in mentors],
            ),
            years=[m.years_experience for m in mentors],
            capacity_left=[m.capacity_left for m in mentors],
            eligible=[bool(m.eligible) for m in mentors],
            blocked=[(m.id, mentee_id) for m in mentors for mentee_id in m.blocked_mentee_ids],
            vocabularies=vocabularies,
        )
        pool.mentors = tuple(mentors)
        return pool

    @classmethod
    def from_columns(
        cls,
        ids: Sequence[str],
        columns: MentorColumns,
        *,
        years: Sequence[int] | npt.NDArray[np.int64],
        capacity_left: Sequence[int] | npt.NDArray[np.int64],
        eligible: Sequence[bool] | npt.NDArray[np.bool_],
        blocked: Iterable[tuple[str, str]] = (),
        vocabularies: Mapping[str, Iterable[str]] | None = None,
    ) -> MentorPool:
        """Encode mentors given column by column (no MentorFeatures per mentor).

        `blocked` holds the (mentor id, mentee id) pairs that were declined or ended early;
        pairs of mentors outside the pool are ignored. The pool's `mentors` is empty:
        `mentor()` is only available on pools made by `build`.
        """
        given = vocabularies or {}
        themes = Vocabulary(_collect(columns.expertise, given.get("themes", ())))
        sectors = Vocabulary(_collect(columns.sectors, given.get("sectors", ())))
        legal = Vocabulary(_collect(columns.legal_forms_known, given.get("legal_forms", ())))
        regions = Vocabulary(_collect(columns.regions_served, given.get("regions", REGIONS)))
        languages = Vocabulary(_collect(columns.languages, given.get("languages", ())))
        ids = tuple(ids)
        position = {mentor_id: i for i, mentor_id in enumerate(ids)}
        if len(position) != len(ids):
            raise ValueError("mentor ids must be unique in a pool")

        blocked_by_mentee: dict[str, set[int]] = {}
        for mentor_id, mentee_id in blocked:
            i = position.get(mentor_id)
            if i is not None:
                blocked_by_mentee.setdefault(mentee_id, set()).add(i)
        excluded: dict[str, list[int]] = {}
        for i, names in enumerate(columns.excluded_organizations):
            if not names:
                continue
            for name in {normalize_organization(name) for name in names}:
                if name is not None:
                    excluded.setdefault(name, []).append(i)

        availability = _small_mask(columns.availability, SLOT_VOCABULARY)
        return cls(
            mentors=(),
            ids=ids,
            themes=themes,
            sectors_vocabulary=sectors,
            legal_forms_vocabulary=legal,
            regions_vocabulary=regions,
            languages_vocabulary=languages,
            expertise=themes.encode(columns.expertise),
            sectors=sectors.encode(columns.sectors),
            legal_forms=legal.encode(columns.legal_forms_known),
            regions=regions.encode(columns.regions_served),
            languages=languages.encode(columns.languages),
            modes=_small_mask(columns.meeting_modes, MODE_VOCABULARY).astype(np.uint8),
            availability=availability,
            availability_count=np.bitwise_count(availability).astype(np.uint8),
            years=np.maximum(np.asarray(years, dtype=np.int64).reshape(len(ids)), 0),
            capacity_left=np.maximum(
                np.asarray(capacity_left, dtype=np.int64).reshape(len(ids)), 0
            ),
            eligible=np.asarray(eligible, dtype=np.bool_).reshape(len(ids)),
            sector_bits=sectors.table(columns.sectors).astype(np.uint16),
            legal_form_bits=legal.table(columns.legal_forms_known).astype(np.uint16)
            << np.uint16(1),
            region_bits=regions.table(columns.regions_served).astype(np.uint16) << np.uint16(2),
            excluded_by_organization={k: np.array(v, dtype=np.intp) for k, v in excluded.items()},
            blocked_by_mentee={
                k: np.array(sorted(v), dtype=np.intp) for k, v in blocked_by_mentee.items()
            },
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
