"""The authorization module: one table, and the match columns its counterpart rule reads."""

from __future__ import annotations

import uuid

from app.core import authz
from app.core.actor import Actor
from app.matches.models import OPEN_STATUSES, Match


def _actor(role: str, **fields) -> Actor:
    kind = "api_client" if role == "api_client" else "user"
    return Actor(kind=kind, id=uuid.uuid4(), role=role, hub_id=uuid.uuid4(), **fields)


def test_the_counterpart_rule_reads_the_real_match_columns():
    table = Match.__table__  # type: ignore[attr-defined]
    assert authz._match.name == table.name
    for column in authz._match.c:
        assert column.name in table.c, column.name
    assert set(authz.COUNTERPART_STATUSES) == set(OPEN_STATUSES)


def test_partners_reach_their_hub_only_with_a_scope_and_never_evaluations():
    reader = _actor("api_client", scopes=frozenset({"mentors:read"}))
    assert authz.reach(reader, "mentor") == "hub"
    assert authz.reach(reader, "mentee") == "none"
    assert authz.reach(reader, "evaluation") == "none"
    assert authz.reach(reader, "hub") == "hub"
    assert not authz.can_manage(reader, "mentor")
    writer = _actor("api_client", scopes=frozenset({"matches:write"}))
    assert authz.can_manage(writer, "match") and authz.can_manage(writer, "matching_run")
    assert authz.reach(writer, "suggestions") == "none"


def test_people_reach_their_own_rows_and_their_counterparts():
    mentor = _actor("mentor", profile_id=uuid.uuid4())
    assert authz.reach(mentor, "mentor") == "own"
    assert authz.reach(mentor, "mentee") == "counterpart"
    assert authz.reach(mentor, "matching_run") == "none"
    assert not authz.can_manage(mentor, "match")
    unlinked = _actor("mentee")
    assert authz.reach(unlinked, "match") == "none"
    assert authz.reach(unlinked, "user") == "own"


def test_every_role_has_a_decision_for_every_resource():
    roles = {"admin", "coordinator", "mentor", "mentee", "api_client"}
    for resource, decisions in authz.TABLE.items():
        assert set(decisions) <= roles, resource
        assert decisions.get("admin") == "all", resource
