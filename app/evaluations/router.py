"""HTTP layer of evaluations (/matches/{id}/evaluations) and testimonials (/testimonials)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Response, status
from pydantic import Field

from app.core.deps import CurrentActor, DbSession
from app.core.http import set_etag
from app.core.lookup import LoadingRoute
from app.core.openapi import problems
from app.core.pagination import ListQuery, Page, query_of, sorted_by
from app.evaluations import service
from app.evaluations.deps import (
    EvaluatedMatchOr404,
    MatchToEvaluateOr404,
    StaffEvaluationOr404,
)
from app.evaluations.models import Evaluation
from app.evaluations.repository import (
    EVALUATION_SORT,
    PENDING_SORT,
    PUBLISHED_SORT,
    AuthoredEvaluation,
)
from app.evaluations.schemas import (
    EvaluationPut,
    EvaluationRead,
    PendingTestimonialRead,
    TestimonialRead,
)

router = APIRouter(route_class=LoadingRoute)


class EvaluationListQuery(ListQuery):
    """GET /matches/{id}/evaluations: the page."""

    sort: str | None = sorted_by(EVALUATION_SORT)


class PublishedListQuery(ListQuery):
    """GET /testimonials: the page and the author's language."""

    sort: str | None = sorted_by(PUBLISHED_SORT)
    lang: Literal["fr", "en"] | None = Field(default=None, description="The author's language.")


class PendingListQuery(ListQuery):
    """GET /testimonials/pending: the page."""

    sort: str | None = sorted_by(PENDING_SORT)


EvaluationQuery = Annotated[EvaluationListQuery, query_of(EvaluationListQuery)]
PublishedQuery = Annotated[PublishedListQuery, query_of(PublishedListQuery)]
PendingQuery = Annotated[PendingListQuery, query_of(PendingListQuery)]


def read(evaluation: Evaluation) -> EvaluationRead:
    """An evaluation row as the API shows it."""
    return EvaluationRead.of(evaluation)


def _pending(row: AuthoredEvaluation) -> PendingTestimonialRead:
    base = EvaluationRead.of(row.evaluation).model_dump()
    return PendingTestimonialRead(**base, preview=service.present_testimonial(row))


@router.get(
    "/matches/{match_id}/evaluations",
    response_model=Page[EvaluationRead],
    operation_id="evaluations-list",
    tags=["evaluations"],
)
async def list_evaluations(
    db: DbSession, actor: CurrentActor, match: EvaluatedMatchOr404, query: EvaluationQuery
) -> Page[EvaluationRead]:
    """List a match's evaluations: participants see their own, staff their hub's."""
    result = await service.list_for_match(db, actor, match, query.page)
    return result.to_page(read)


@router.put(
    "/matches/{match_id}/evaluations/me",
    response_model=EvaluationRead,
    operation_id="evaluations-put-mine",
    tags=["evaluations"],
    responses={
        201: {"model": EvaluationRead, "description": "Created"},
        **problems(409, 412),
    },
)
async def put_my_evaluation(
    db: DbSession,
    actor: CurrentActor,
    match: MatchToEvaluateOr404,
    body: EvaluationPut,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> EvaluationRead:
    """Write or replace your evaluation of a completed or early-ended match (201 when new)."""
    evaluation, created = await service.put_mine(db, actor, match, body, if_match)
    if created:
        response.status_code = status.HTTP_201_CREATED
    set_etag(response, evaluation.version)
    return read(evaluation)


@router.get(
    "/testimonials",
    response_model=Page[TestimonialRead],
    operation_id="testimonials-list",
    tags=["testimonials"],
)
async def list_testimonials(
    db: DbSession,
    query: PublishedQuery,
) -> Page[TestimonialRead]:
    """List published testimonials (no login): consented, approved, only the chosen fields."""
    result = await service.list_published(db, query.page, query.lang)
    return result.to_page(service.present_testimonial)


@router.get(
    "/testimonials/pending",
    response_model=Page[PendingTestimonialRead],
    operation_id="testimonials-pending",
    tags=["testimonials"],
)
async def list_pending_testimonials(
    db: DbSession, actor: CurrentActor, query: PendingQuery
) -> Page[PendingTestimonialRead]:
    """List consented testimonials of your hub awaiting approval, each with its preview."""
    result = await service.list_pending(db, actor, query.page)
    return result.to_page(_pending)


@router.post(
    "/testimonials/{evaluation_id}/approve",
    response_model=EvaluationRead,
    operation_id="testimonials-approve",
    tags=["testimonials"],
    responses=problems(409, 412),
)
async def approve_testimonial(
    db: DbSession,
    actor: CurrentActor,
    evaluation: StaffEvaluationOr404,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> EvaluationRead:
    """Publish a consented testimonial (staff of its hub; If-Match: the version you read)."""
    evaluation = await service.approve(db, actor, evaluation, if_match)
    set_etag(response, evaluation.version)
    return read(evaluation)


@router.delete(
    "/testimonials/{evaluation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    operation_id="testimonials-unpublish",
    tags=["testimonials"],
)
async def unpublish_testimonial(
    db: DbSession, actor: CurrentActor, evaluation: StaffEvaluationOr404
) -> Response:
    """Take a testimonial off the public list (staff of its hub)."""
    await service.unpublish(db, actor, evaluation)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
