"""HTTP layer of /matching-runs and /mentees/{id}/suggestions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.core.deps import CurrentActor, DbSession, RequestLocale
from app.core.lookup import LoadingRoute
from app.core.openapi import problems
from app.matches import engine
from app.matches.deps import LockedRunOr404, RunOr404, SuggestedMenteeOr404
from app.matches.models import MatchingRun
from app.matches.runs_schemas import MatchingRunCreate, MatchingRunRead, SuggestionList

router = APIRouter(tags=["matching-runs"], route_class=LoadingRoute)


def read(run: MatchingRun) -> MatchingRunRead:
    """A stored run as the API shows it."""
    return MatchingRunRead.model_validate(
        {
            **run.model_dump(),
            "apply_report": run.apply_report or None,
        }
    )


@router.get(
    "/mentees/{mentee_id}/suggestions",
    response_model=SuggestionList,
    tags=["mentees"],
    operation_id="mentees-suggestions",
)
async def mentee_suggestions(
    db: DbSession,
    actor: CurrentActor,
    locale: RequestLocale,
    mentee: SuggestedMenteeOr404,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> SuggestionList:
    """Ranked mentors for a mentee (staff): score 0–100, breakdown, reasons, exclusions."""
    result = await engine.suggestions(db, actor, mentee, limit, locale)
    return SuggestionList.model_validate(result)


@router.post(
    "/matching-runs",
    response_model=MatchingRunRead,
    status_code=status.HTTP_201_CREATED,
    operation_id="matching-runs-create",
)
async def create_matching_run(
    db: DbSession, actor: CurrentActor, body: MatchingRunCreate, response: Response
) -> MatchingRunRead:
    """Propose the best overall pairing for a cohort; nothing is written to matches."""
    run = await engine.create_run(db, actor, body)
    response.headers["Location"] = f"/api/v1/matching-runs/{run.id}"
    return read(run)


@router.get(
    "/matching-runs/{run_id}",
    response_model=MatchingRunRead,
    operation_id="matching-runs-get",
)
async def get_matching_run(run: RunOr404) -> MatchingRunRead:
    """Read a stored matching run."""
    return read(run)


@router.post(
    "/matching-runs/{run_id}/apply",
    response_model=MatchingRunRead,
    operation_id="matching-runs-apply",
    responses=problems(409),
)
async def apply_matching_run(
    db: DbSession, actor: CurrentActor, run: LockedRunOr404
) -> MatchingRunRead:
    """Create the run's proposals as `proposed` matches, re-checking every rule."""
    return read(await engine.apply_run(db, actor, run))
