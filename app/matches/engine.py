"""Suggestions and cohort runs: loads features, calls the pure engine in a worker thread."""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from typing import Any

import anyio.to_thread
from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import authz
from app.core.actor import Actor
from app.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from app.core.i18n import Locale
from app.core.types import utcnow
from app.hubs import repository as hubs_repo
from app.hubs.service import target_hub
from app.matches import repository as repo
from app.matches import service as matches_service
from app.matches.features import (
    ProposablePool,
    mentee_features,
    mentor_features,
    proposable_pool,
    with_live_state,
)
from app.matches.models import MatchingRun
from app.matches.runs_schemas import MatchingRunCreate
from app.matching import assign, explain, score_one, validate_weights
from app.mentees.kind import MENTEE_KIND
from app.people import repository as people_repo
from app.reference.catalog import label


def _label(list_name: str, code: str, locale: str) -> str:
    return label(list_name, code, locale)


# Per process: each hub's eligible mentors, encoded, keyed by the hub's mentor_pool_version,
# which every mentor change bumps in its own transaction. A cached pool is used only when its
# version is the one just read from the database, so it is never stale; capacity and blocked
# pairs, which matches change, are read on every request.
_POOLS: OrderedDict[uuid.UUID, tuple[int, ProposablePool]] = OrderedDict()
_MAX_POOLS = 32


async def _suggestion_pool(
    db: AsyncSession, hub_id: uuid.UUID, version: int, mentee_id: uuid.UUID
) -> ProposablePool:
    """The hub's proposable mentors for one mentee, from the cache when it is current."""
    cached = _POOLS.get(hub_id)
    if cached is None or cached[0] != version:
        columns = await repo.mentor_feature_columns(db, hub_id, live_capacity=False)
        pool = await anyio.to_thread.run_sync(lambda: proposable_pool(columns, ()))
        _POOLS[hub_id] = cached = (version, pool)
        if len(_POOLS) > _MAX_POOLS:
            _POOLS.popitem(last=False)
    _POOLS.move_to_end(hub_id)
    open_counts = await repo.open_counts_by_mentor(db, hub_id)
    blocked = await repo.blocked_pairs(db, hub_id, mentee_id=mentee_id)
    return with_live_state(cached[1], open_counts, blocked)


async def _pool(
    db: AsyncSession, hub_id: uuid.UUID, mentee_id: uuid.UUID | None = None
) -> ProposablePool:
    """The hub's mentors the engine may propose, encoded (blocked pairs of one mentee or all)."""
    columns = await repo.mentor_feature_columns(db, hub_id)
    blocked = await repo.blocked_pairs(db, hub_id, mentee_id=mentee_id)
    return await anyio.to_thread.run_sync(lambda: proposable_pool(columns, blocked))


async def mentee_row(db: AsyncSession, actor: Actor, mentee_id: uuid.UUID) -> RowMapping | None:
    """The mentee within the caller's reach whose suggestions are asked for, as columns."""
    return await people_repo.get_row(db, actor, MENTEE_KIND, mentee_id)


async def suggestions(
    db: AsyncSession, actor: Actor, row: RowMapping, limit: int, locale: Locale
) -> dict[str, Any]:
    """The best mentors for one mentee, explained, and what each hard rule excluded."""
    mentee_id: uuid.UUID = row["id"]
    if authz.reach(actor, "suggestions") == "none":
        raise Forbidden()
    hub = await hubs_repo.get(db, row["hub_id"])
    if hub is None:
        raise NotFound()
    weights = validate_weights(hub.matching_weights or None)
    proposable = await _suggestion_pool(db, hub.id, hub.mentor_pool_version, mentee_id)
    pool = proposable.pool
    mentee = mentee_features(_Row(row))
    ranking = await anyio.to_thread.run_sync(lambda: score_one(mentee, pool, weights, limit=limit))
    chosen = [uuid.UUID(candidate.mentor_id) for candidate in ranking.candidates]
    rows = await repo.mentor_feature_rows(db, row["hub_id"], ids=chosen) if chosen else []
    mentor_rows = {str(mentor_row.id): mentor_row for mentor_row in rows}
    items = []
    for candidate in ranking.candidates:
        mentor_row = mentor_rows[candidate.mentor_id]
        open_matches = int(mentor_row.open_matches)
        mentor = mentor_features(mentor_row, open_matches=open_matches)
        items.append(
            {
                "mentor_id": mentor_row.id,
                "mentor": {
                    "id": mentor_row.id,
                    "first_name": mentor_row.first_name,
                    "last_name": mentor_row.last_name,
                    "regions_served": mentor_row.regions_served,
                    "expertise": mentor_row.expertise,
                    "languages": mentor_row.languages,
                    "capacity": mentor_row.capacity,
                    "open_matches": open_matches,
                },
                "score": candidate.score,
                "breakdown": candidate.breakdown,
                "reasons": explain(candidate.breakdown, mentee, mentor, locale, _label),
            }
        )
    return {
        "mentee_id": mentee_id,
        "items": items,
        "weights": weights,
        "considered": proposable.considered,
        "feasible": ranking.feasible,
        "excluded": proposable.excluded(ranking.excluded),
    }


class _Row:
    """Attribute access over a row mapping (the engine's adapters read attributes)."""

    def __init__(self, mapping: Any) -> None:
        self._mapping = mapping

    def __getattr__(self, name: str) -> Any:
        return self._mapping[name]


async def create_run(db: AsyncSession, actor: Actor, data: MatchingRunCreate) -> MatchingRun:
    """Compute the best assignment for a cohort and store it; no match is written."""
    if not authz.can_manage(actor, "matching_run"):
        raise Forbidden()
    started = time.perf_counter()
    hub = await target_hub(db, actor, data.hub_id)
    weights = data.weights or validate_weights(hub.matching_weights or None)
    unmatched: list[dict[str, Any]] = []
    if data.mentee_ids is None:
        rows = await repo.mentee_feature_rows(db, hub.id, status="waiting")
    else:
        wanted = list(dict.fromkeys(data.mentee_ids))
        found = await repo.mentee_feature_rows(db, hub.id, ids=wanted)
        known = {row.id for row in found}
        missing = [i for i, m in enumerate(wanted) if m not in known]
        if missing:
            raise ValidationFailed.unreachable(["body", "mentee_ids", missing[0]])
        rows = [row for row in found if row.status == "waiting"]
        unmatched += [
            {"mentee_id": str(row.id), "reason": "mentee_not_waiting"}
            for row in found
            if row.status != "waiting"
        ]
    proposable = await _pool(db, hub.id)
    pool = proposable.pool
    loaded = time.perf_counter()
    mentees = [mentee_features(row) for row in rows]
    result = await anyio.to_thread.run_sync(
        lambda: assign(mentees, pool, weights, min_score=data.min_score)
    )
    solved = time.perf_counter()
    unmatched += [{"mentee_id": u.mentee_id, "reason": u.reason} for u in result.unmatched]
    run = MatchingRun(
        hub_id=hub.id,
        created_by_type=actor.kind,
        created_by_id=actor.id,
        parameters={
            "mentee_ids": None if data.mentee_ids is None else [str(m) for m in data.mentee_ids],
            "min_score": data.min_score,
            "mentees": len(mentees),
            "mentors": proposable.considered,
        },
        weights=weights,
        proposals=[
            {
                "mentee_id": p.mentee_id,
                "mentor_id": p.mentor_id,
                "score": p.score,
                "breakdown": p.breakdown,
            }
            for p in result.pairs
        ],
        unmatched=unmatched,
        total_score=result.total,
        greedy_total=result.greedy_total,
        exact=result.exact,
        method=result.method,
    )
    db.add(run)
    await db.flush()
    run.timings = {
        "load": round(loaded - started, 4),
        **{k: round(v, 4) for k, v in result.timings.items()},
        "engine": round(solved - loaded, 4),
        "store": round(time.perf_counter() - solved, 4),
        "total": round(time.perf_counter() - started, 4),
    }
    return run


async def apply_run(db: AsyncSession, actor: Actor, run: MatchingRun) -> MatchingRun:
    """Create the run's proposals as matches in one transaction, re-checking every rule.

    The run was locked by the route's dependency: two applies of one run never both pass.
    """
    if run.status != "proposed":
        raise InvalidTransition(params={"action": "apply", "status": run.status})
    batch = [
        (
            uuid.UUID(str(p["mentor_id"])),
            uuid.UUID(str(p["mentee_id"])),
            p["score"],
            p["breakdown"],
        )
        for p in run.proposals
    ]
    outcomes = await matches_service.propose_many(db, actor, batch, matching_run_id=run.id)
    created: list[str] = []
    skipped: list[dict[str, Any]] = []
    for proposal, outcome in zip(run.proposals, outcomes, strict=True):
        if isinstance(outcome, str):
            skipped.append({**_pair(proposal), "reason": outcome})
        else:
            created.append(str(outcome.id))
    run.status = "applied"
    run.applied_at = utcnow()
    run.apply_report = {"created": created, "skipped": skipped}
    run.updated_at = run.applied_at
    await db.flush()
    return run


def _pair(proposal: dict[str, Any]) -> dict[str, Any]:
    return {"mentee_id": proposal["mentee_id"], "mentor_id": proposal["mentor_id"]}
