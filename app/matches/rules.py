"""The pairing rules, in one place: pure code over two profiles and the facts they need.

A single proposal (`service.propose`) and a whole matching run applied at once
(`service.propose_many`) both decide with `refusal`; only how the facts are loaded
differs (one pair, or a batch kept current as it proceeds).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from app.matches.features import mentor_is_eligible
from app.matching import normalize_organization
from app.mentees.models import Mentee
from app.mentors.models import Mentor


@dataclass
class PairingFacts:
    """What the pairing rules read beyond the two rows, for one pair or a whole batch.

    Loaded in three set-based queries (`repo.pairing_facts`) and kept current by `record`
    while a batch is proposed, so that a batch sees its own proposals exactly as a series
    of single proposals would.
    """

    open_by_mentor: dict[uuid.UUID, int] = field(default_factory=dict)
    mentees_with_open: set[uuid.UUID] = field(default_factory=set)
    blocked: set[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=set)

    def record(self, mentor_id: uuid.UUID, mentee_id: uuid.UUID) -> None:
        """A proposal was made: the mentor has one more open match, the mentee one."""
        self.open_by_mentor[mentor_id] = self.open_by_mentor.get(mentor_id, 0) + 1
        self.mentees_with_open.add(mentee_id)


def refusal(mentor: Mentor, mentee: Mentee, facts: PairingFacts) -> str | None:
    """The first pairing rule that refuses this pair, or None: the rules, in their order."""
    if mentee.id in facts.mentees_with_open:
        return "mentee-has-open-match"
    if mentee.status != "waiting" or mentee.anonymised_at is not None:
        return "mentee-not-waiting"
    if not mentor_is_eligible(mentor):
        return "mentor-not-eligible"
    if (mentor.id, mentee.id) in facts.blocked:
        return "pair-previously-ended"
    if not set(mentor.languages) & set(mentee.languages):
        return "no-common-language"
    organisation = normalize_organization(mentee.organization_name)
    excluded = {normalize_organization(name) for name in mentor.excluded_organizations}
    if organisation and organisation in excluded:
        return "conflict-of-interest"
    if facts.open_by_mentor.get(mentor.id, 0) >= mentor.capacity:
        return "capacity-reached"
    return None
