"""From profile rows to the matching engine's features (no database, no HTTP)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from app.matching import MenteeFeatures, MentorFeatures

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


def blocked_by_mentor(
    pairs: Iterable[tuple[uuid.UUID, uuid.UUID]],
) -> Mapping[uuid.UUID, set[uuid.UUID]]:
    """Blocked (mentor, mentee) pairs grouped by mentor."""
    grouped: dict[uuid.UUID, set[uuid.UUID]] = {}
    for mentor_id, mentee_id in pairs:
        grouped.setdefault(mentor_id, set()).add(mentee_id)
    return grouped
