"""HTTP layer of /matches."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Response, status

from app.core.deps import CurrentActor, DbSession
from app.core.http import set_etag
from app.core.lookup import LoadingRoute
from app.core.openapi import problems
from app.core.pagination import ListQuery, Page, query_of, sorted_by
from app.matches import service
from app.matches.deps import LockedMatchOr404, MatchOr404
from app.matches.health import health_of
from app.matches.models import Match, MatchEvent
from app.matches.repository import MATCH_SORT
from app.matches.schemas import (
    AcceptBody,
    ActivateBody,
    DeclineBody,
    HealthRead,
    HistoryEntry,
    HistoryPage,
    MatchCreate,
    MatchRead,
    MatchStatus,
    ReasonBody,
)

router = APIRouter(prefix="/matches", tags=["matches"], route_class=LoadingRoute)


class MatchListQuery(ListQuery):
    """GET /matches: the page and its filters."""

    sort: str | None = sorted_by(MATCH_SORT)
    status: MatchStatus | None = None
    mentor_id: uuid.UUID | None = None
    mentee_id: uuid.UUID | None = None
    hub_id: uuid.UUID | None = None
    health: Literal["ok", "at_risk", "stalled"] | None = None


MatchQuery = Annotated[MatchListQuery, query_of(MatchListQuery)]
TRANSITION_ERRORS = problems(409)


def read(match: Match, health: dict[str, object] | None = None) -> MatchRead:
    """A match row as the API shows it."""
    result = MatchRead.model_validate(match)
    if health is not None:
        result.health = HealthRead.model_validate(health)
    return result


async def _answer(db: DbSession, response: Response, match: Match) -> MatchRead:
    set_etag(response, match.version)
    return read(match, (await health_of(db, [match]))[match.id])


@router.get(
    "",
    response_model=Page[MatchRead],
    operation_id="matches-list",
)
async def list_matches(
    db: DbSession,
    actor: CurrentActor,
    query: MatchQuery,
) -> Page[MatchRead]:
    """List matches within reach; filters `status`, `mentor_id`, `mentee_id`, `hub_id`."""
    result = await service.list_matches(db, actor, query.page, query.filters())
    health_by_id = await health_of(db, result.items)
    return result.to_page(lambda match: read(match, health_by_id[match.id]))


@router.post(
    "",
    response_model=MatchRead,
    status_code=status.HTTP_201_CREATED,
    operation_id="matches-create",
    responses=problems(409),
)
async def propose_match(
    db: DbSession, actor: CurrentActor, body: MatchCreate, response: Response
) -> MatchRead:
    """Propose a mentor to a waiting mentee (409 names the pairing rule that refuses it)."""
    match = await service.propose(db, actor, body)
    response.headers["Location"] = f"/api/v1/matches/{match.id}"
    return await _answer(db, response, match)


@router.get(
    "/{match_id}",
    response_model=MatchRead,
    operation_id="matches-get",
)
async def get_match(db: DbSession, match: MatchOr404, response: Response) -> MatchRead:
    """Read one match within reach, with its score breakdown."""
    return await _answer(db, response, match)


def _entry(event: MatchEvent) -> HistoryEntry:
    return HistoryEntry.model_validate(
        {
            "at": event.at,
            "actor": {"type": event.actor_type, "id": event.actor_id},
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "reason": event.reason,
        }
    )


@router.get(
    "/{match_id}/history",
    response_model=HistoryPage,
    operation_id="matches-history",
)
async def match_history(db: DbSession, match: MatchOr404) -> HistoryPage:
    """Every action on the match, oldest first."""
    events = await service.get_history(db, match)
    return HistoryPage(items=[_entry(e) for e in events])


@router.post(
    "/{match_id}/accept",
    response_model=MatchRead,
    operation_id="matches-accept",
    responses=TRANSITION_ERRORS,
)
async def accept_match(
    db: DbSession,
    actor: CurrentActor,
    match: LockedMatchOr404,
    response: Response,
    body: Annotated[AcceptBody | None, Body()] = None,
) -> MatchRead:
    """Accept for your side (empty body), or record a side's answer (staff: `side`)."""
    side = body.side if body else None
    return await _answer(db, response, await service.accept(db, actor, match, side))


@router.post(
    "/{match_id}/decline",
    response_model=MatchRead,
    operation_id="matches-decline",
    responses=TRANSITION_ERRORS,
)
async def decline_match(
    db: DbSession,
    actor: CurrentActor,
    match: LockedMatchOr404,
    body: DeclineBody,
    response: Response,
) -> MatchRead:
    """Decline the proposal (reason required); the pair is not proposed again."""
    match = await service.decline(db, actor, match, body.reason, body.side)
    return await _answer(db, response, match)


@router.post(
    "/{match_id}/cancel",
    response_model=MatchRead,
    operation_id="matches-cancel",
    responses=TRANSITION_ERRORS,
)
async def cancel_match(
    db: DbSession,
    actor: CurrentActor,
    match: LockedMatchOr404,
    body: ReasonBody,
    response: Response,
) -> MatchRead:
    """Cancel a proposed or accepted match (staff; reason required)."""
    return await _answer(db, response, await service.cancel(db, actor, match, body.reason))


@router.post(
    "/{match_id}/activate",
    response_model=MatchRead,
    operation_id="matches-activate",
    responses=TRANSITION_ERRORS,
)
async def activate_match(
    db: DbSession,
    actor: CurrentActor,
    match: LockedMatchOr404,
    body: ActivateBody,
    response: Response,
) -> MatchRead:
    """Start the year once both accepted and the agreement is signed (staff)."""
    return await _answer(db, response, await service.activate(db, actor, match, body))


@router.post(
    "/{match_id}/complete",
    response_model=MatchRead,
    operation_id="matches-complete",
    responses=TRANSITION_ERRORS,
)
async def complete_match(
    db: DbSession, actor: CurrentActor, match: LockedMatchOr404, response: Response
) -> MatchRead:
    """Close a year that went to its end (staff)."""
    return await _answer(db, response, await service.complete(db, actor, match))


@router.post(
    "/{match_id}/end",
    response_model=MatchRead,
    operation_id="matches-end",
    responses=TRANSITION_ERRORS,
)
async def end_match(
    db: DbSession,
    actor: CurrentActor,
    match: LockedMatchOr404,
    body: ReasonBody,
    response: Response,
) -> MatchRead:
    """End an active match early (staff; reason required)."""
    return await _answer(db, response, await service.end_early(db, actor, match, body.reason))
