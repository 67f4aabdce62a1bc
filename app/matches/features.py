"""From profile rows to the matching engine's features (no database, no HTTP)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from app.matching import MenteeFeatures, MentorColumns, MentorFeatures, MentorPool

MENTOR_ACTIVE = "active"


def mentor_is_eligible(row: Any) -> bool:
    """Only an active mentor who was trained and signed the code of ethics is proposed."""
    return bool(
        row.status == MENTOR_ACTIVE
        and row.trained_on is not None
        and row.ethics_signed_on is not None
        and getattr(row, "anonymised_at", None) is None
    )


def mentor_features(
    row: Any,
    *,
    open_matches: int,
    blocked_mentees: Iterable[uuid.UUID] = (),
) -> MentorFeatures:
    """A mentor row (or entity) as the engine sees it."""
    return MentorFeatures(
        id=str(row.id),
        expertise=frozenset(row.expertise or ()),
        sectors=frozenset(row.sectors or ()),
        legal_forms_known=frozenset(row.legal_forms_known or ()),
        regions_served=frozenset(row.regions_served or ()),
        languages=frozenset(row.languages or ()),
        meeting_modes=frozenset(row.meeting_modes or ()),
        availability=frozenset(row.availability or ()),
        years_experience=int(row.years_experience or 0),
        capacity_left=max(0, int(row.capacity) - open_matches),
        excluded_organizations=frozenset(row.excluded_organizations or ()),
        eligible=mentor_is_eligible(row),
        blocked_mentee_ids=frozenset(str(m) for m in blocked_mentees),
    )


def mentee_features(row: Any) -> MenteeFeatures:
    """A mentee row (or entity) as the engine sees it."""
    return MenteeFeatures(
        id=str(row.id),
        needs=frozenset(row.needs or ()),
        sector=row.sector,
        legal_form=row.legal_form,
        region=row.region,
        organization_name=row.organization_name,
        languages=frozenset(row.languages or ()),
        meeting_modes=frozenset(row.meeting_modes or ()),
        availability=frozenset(row.availability or ()),
    )


@dataclass(frozen=True, slots=True)
class ProposablePool:
    """The mentors of a hub the engine may propose, and how many others were set aside."""

    pool: MentorPool
    not_eligible: int
    at_capacity: int

    @property
    def considered(self) -> int:
        """Every mentor of the hub."""
        return len(self.pool) + self.not_eligible + self.at_capacity

    def excluded(self, counts: Mapping[str, int]) -> dict[str, int]:
        """The engine's exclusion counts completed with the mentors set aside in SQL.

        Not eligible is the engine's first reason and no capacity its second, so a mentor
        set aside here is counted under the same reason the engine would have given.
        """
        out = dict(counts)
        out["mentor_not_eligible"] = out.get("mentor_not_eligible", 0) + self.not_eligible
        out["capacity_reached"] = out.get("capacity_reached", 0) + self.at_capacity
        return out


def _code_lists(joined: str | None, count: int) -> list[list[str]]:
    """Comma-joined JSON arrays, decoded in one call (a JSON null reads as no codes)."""
    if count == 0:
        return []
    lists: list[Any] = json.loads(f"[{joined}]")
    if len(lists) != count:
        raise ValueError("mentor columns are not aligned")
    if None in lists:
        lists = [codes or [] for codes in lists]
    return lists


def _numbers(joined: str | None, count: int) -> npt.NDArray[np.int64]:
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    out = np.array((joined or "").split(","), dtype=np.int64)
    if len(out) != count:
        raise ValueError("mentor columns are not aligned")
    return out


def proposable_pool(
    columns: Mapping[Any, Any], blocked: Iterable[tuple[uuid.UUID, uuid.UUID]]
) -> ProposablePool:
    """The engine's pool from repository.mentor_feature_columns (no Python object per mentor)."""
    ids: list[str] = columns["ids"].split(",") if columns["ids"] else []
    if ids and len(ids[0]) == 32:  # SQLite stores UUIDs as 32 hex digits
        ids = [str(uuid.UUID(hex=mentor_id)) for mentor_id in ids]
    n = len(ids)
    lists = MentorColumns(
        expertise=_code_lists(columns["expertise"], n),
        sectors=_code_lists(columns["sectors"], n),
        legal_forms_known=_code_lists(columns["legal_forms_known"], n),
        regions_served=_code_lists(columns["regions_served"], n),
        languages=_code_lists(columns["languages"], n),
        meeting_modes=_code_lists(columns["meeting_modes"], n),
        availability=_code_lists(columns["availability"], n),
        excluded_organizations=_code_lists(columns["excluded_organizations"], n),
    )
    pool = MentorPool.from_columns(
        ids,
        lists,
        years=_numbers(columns["years"], n),
        capacity_left=_numbers(columns["capacity_left"], n),
        eligible=np.ones(n, dtype=np.bool_),
        blocked=[(str(mentor_id), str(mentee_id)) for mentor_id, mentee_id in blocked],
    )
    return ProposablePool(pool, int(columns["not_eligible"]), int(columns["at_capacity"]))


def with_live_state(
    cached: ProposablePool,
    open_counts: Mapping[uuid.UUID, int],
    blocked: Iterable[tuple[uuid.UUID, uuid.UUID]],
) -> ProposablePool:
    """A cached pool of eligible mentors, with this moment's free places and blocked pairs.

    The cached arrays are shared read-only; the copy gets its own capacity, blocked pairs and
    derived-array cache (the engine's cached exclusion reasons depend on capacity).
    """
    pool = cached.pool
    capacity_left = pool.capacity_left.copy()
    for mentor_id, taken in open_counts.items():
        index = pool.position.get(str(mentor_id))
        if index is not None:
            capacity_left[index] = max(0, capacity_left[index] - taken)
    by_mentee: dict[str, set[int]] = {}
    for mentor_id, mentee_id in blocked:
        index = pool.position.get(str(mentor_id))
        if index is not None:
            by_mentee.setdefault(str(mentee_id), set()).add(index)
    live = replace(
        pool,
        capacity_left=capacity_left,
        blocked_by_mentee={k: np.array(sorted(v), dtype=np.intp) for k, v in by_mentee.items()},
        cache={},
    )
    return ProposablePool(live, cached.not_eligible, 0)
