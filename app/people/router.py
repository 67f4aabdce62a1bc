"""One router factory for /mentors and /mentees: the same HTTP shape, each with its own schemas."""

# No `from __future__ import annotations` here: FastAPI must see the real body types
# that each call of the factory closes over.

import uuid
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Response, status
from fastapi.responses import JSONResponse
from pydantic import Field, create_model
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.actor import Actor
from app.core.deps import CurrentActor, DbSession, reads_one_statement
from app.core.http import etag_for
from app.core.lookup import LoadingRoute, or_404
from app.core.openapi import problems
from app.core.pagination import ListQuery, Page, query_of, sorted_by
from app.core.schemas import DayOrMoment, start_of
from app.people import pages, repository, service
from app.people.kinds import ProfileKind
from app.people.models import PersonBase
from app.people.schemas import ConsentCreate
from app.reference.catalog import LANGUAGES, LEGAL_FORMS, REGIONS, SECTORS, THEMES

if TYPE_CHECKING:
    RegionCode = str
    ThemeCode = str
    SectorCode = str
    LegalFormCode = str
    LanguageCode = str
else:
    # Enums in the OpenAPI document, and a 422 for an unknown code in a filter.
    RegionCode = Literal[tuple(REGIONS)]
    ThemeCode = Literal[tuple(THEMES)]
    SectorCode = Literal[tuple(SECTORS)]
    LegalFormCode = Literal[tuple(LEGAL_FORMS)]
    LanguageCode = Literal[tuple(LANGUAGES)]


def _profile_response(model: Any, code: int = 200, location: str | None = None) -> JSONResponse:
    headers = {"ETag": etag_for(model.version)} if hasattr(model, "version") else {}
    if location:
        headers["Location"] = location
    return JSONResponse(model.model_dump(mode="json"), status_code=code, headers=headers)


def build_router(kind: ProfileKind, status_type: Any) -> APIRouter:
    """The routes of one profile kind."""
    router = APIRouter(prefix=f"/{kind.plural}", tags=[kind.plural], route_class=LoadingRoute)
    create_schema = kind.create_schema
    update_schema = kind.update_schema
    read_schema = kind.read_schema
    noun = kind.role

    async def visible(db: AsyncSession, actor: Actor, profile_id: uuid.UUID) -> RowMapping | None:
        return await repository.get_row(db, actor, kind, profile_id)

    async def locked(db: AsyncSession, actor: Actor, profile_id: uuid.UUID) -> PersonBase | None:
        return await repository.get_for_update(db, actor, kind, profile_id)

    async def to_anonymise(
        db: AsyncSession, actor: Actor, profile_id: uuid.UUID
    ) -> PersonBase | None:
        return await service.profile_to_anonymise(db, actor, kind, profile_id)

    # The profile the path names, within the caller's reach (locked for a change), else 404.
    profile_or_404 = or_404(visible, "profile_id")
    locked_or_404 = or_404(locked, "profile_id")
    to_anonymise_or_404 = or_404(to_anonymise, "profile_id")

    filter_model = create_model(
        f"{kind.plural.capitalize()}ListQuery",
        __base__=ListQuery,
        sort=(str | None, sorted_by(repository.sort_spec(kind))),
        hub_id=(uuid.UUID | None, None),
        status=(status_type | None, None),
        region=(RegionCode | None, None),
        language=(LanguageCode | None, None),
        theme=(ThemeCode | None, None),
        sector=(SectorCode | None, None),
        legal_form=(LegalFormCode | None, None),
        updated_since=(DayOrMoment | None, None),
        q=(str | None, Field(default=None, max_length=100)),
    )

    @router.get(
        "",
        response_model=Page[read_schema],  # type: ignore[valid-type]
        operation_id=f"{kind.plural}-list",
        summary=f"List {kind.plural}",
    )
    @reads_one_statement
    async def list_profiles(
        db: DbSession,
        actor: CurrentActor,
        query: Annotated[filter_model, query_of(filter_model)],
    ) -> Response:
        """List profiles within reach; filters combine (AND); `q` ignores case and accents."""
        filters = query.filters()
        if filters["updated_since"] is not None:
            filters["updated_since"] = start_of(filters["updated_since"])
        page = query.page
        result = await service.list_profiles(db, actor, kind, page, filters)
        return Response(pages.page_json(actor, kind, result), media_type="application/json")

    @router.post(
        "",
        response_model=read_schema,
        status_code=status.HTTP_201_CREATED,
        operation_id=f"{kind.plural}-create",
        summary=f"Create a {noun}",
        responses=problems(409),
    )
    async def create_profile(
        db: DbSession,
        actor: CurrentActor,
        body: Annotated[create_schema, Body()],  # type: ignore[valid-type]
    ) -> JSONResponse:
        """Create a profile in the caller's hub (staff, or a partner with the write scope)."""
        entity = await service.create_profile(db, actor, kind, body)
        model = service.present(actor, kind, entity)
        return _profile_response(model, 201, f"/api/v1/{kind.plural}/{entity.id}")

    @router.get(
        "/{profile_id}",
        response_model=read_schema,
        operation_id=f"{kind.plural}-get",
        summary=f"Read a {noun}",
    )
    async def get_profile(
        actor: CurrentActor, row: Annotated[RowMapping, profile_or_404]
    ) -> JSONResponse:
        """Read one profile within reach (the other side of a match sees a reduced view)."""
        return _profile_response(service.present(actor, kind, row))

    @router.patch(
        "/{profile_id}",
        response_model=read_schema,
        operation_id=f"{kind.plural}-update",
        summary=f"Update a {noun}",
        responses=problems(409, 412),
    )
    async def update_profile(
        db: DbSession,
        actor: CurrentActor,
        entity: Annotated[PersonBase, locked_or_404],
        body: Annotated[update_schema, Body()],  # type: ignore[valid-type]
        if_match: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """Change a profile: the person their own fields, staff also the staff-only ones."""
        entity = await service.update_profile(db, actor, kind, entity, body, if_match)
        return _profile_response(service.present(actor, kind, entity))

    @router.delete(
        "/{profile_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        response_class=Response,
        operation_id=f"{kind.plural}-anonymise",
        summary=f"Anonymise a {noun}",
        responses=problems(409),
    )
    async def anonymise_profile(
        db: DbSession, actor: CurrentActor, entity: Annotated[PersonBase, to_anonymise_or_404]
    ) -> Response:
        """Anonymise the person for good (staff); counts and reports stay true."""
        await service.anonymise(db, actor, kind, entity)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    @router.post(
        "/{profile_id}/consent",
        response_model=read_schema,
        operation_id=f"{kind.plural}-consent",
        summary=f"Record a {noun}'s consent",
        responses=problems(409),
    )
    async def give_consent(
        db: DbSession,
        actor: CurrentActor,
        entity: Annotated[PersonBase, locked_or_404],
        body: ConsentCreate,
    ) -> JSONResponse:
        """Record consent with its text version (the person, or staff for paper consent)."""
        entity = await service.record_consent(db, actor, kind, entity, body)
        return _profile_response(service.present(actor, kind, entity))

    @router.delete(
        "/{profile_id}/consent",
        response_model=read_schema,
        operation_id=f"{kind.plural}-withdraw-consent",
        summary=f"Withdraw a {noun}'s consent",
        responses=problems(409),
    )
    async def withdraw_consent(
        db: DbSession, actor: CurrentActor, entity: Annotated[PersonBase, locked_or_404]
    ) -> JSONResponse:
        """Withdraw consent at once; the profile then shows `consent: null`."""
        entity = await service.withdraw_consent(db, actor, kind, entity)
        return _profile_response(service.present(actor, kind, entity))

    return router
