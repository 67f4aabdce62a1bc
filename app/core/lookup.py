"""Load-or-404 dependencies: a route receives the resource its path names, or answers 404.

`MatchOr404 = Annotated[Match, or_404(repo.get_visible, "match_id")]` gives the route the match
within the caller's reach; the 404 is raised here, once, never by the service. The loader runs on
the request's own DbSession (FastAPI resolves a dependency once per request, so every dependency
and the route share it): a row it locks (`for_update=True`) stays locked by the request's
transaction while the service checks its rule. A loader that refuses a role (403) does so before
it looks anything up.

FastAPI runs the dependencies before it validates the query and the body; the routers that use
these dependencies are built with `route_class=LoadingRoute`, which answers a refused load only
once the request was validated: a malformed request is 422 first, as when services looked up.
"""

from __future__ import annotations

import functools
import inspect
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Depends
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.actor import Actor
from app.core.deps import CurrentActor, DbSession
from app.core.errors import AppError, NotFound
from app.core.openapi import list_query_extra

T = TypeVar("T")
P = TypeVar("P")  # what a loader finds within: the caller, or a parent resource

#: Finds a resource by id within the caller's reach (None: absent or out of reach).
Loader = Callable[[AsyncSession, Actor, uuid.UUID], Awaitable[T | None]]


class Refused:
    """A load that answered a problem (404, or a loader's 403), kept until the request is valid."""

    __slots__ = ("error",)

    def __init__(self, error: AppError) -> None:
        self.error = error


class LoadingRoute(APIRoute):
    """The API's route class: load-or-404 dependencies answer their refusal after FastAPI's
    validation, and a list's query model (`pagination.query_of`) is documented."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        # include_router builds the route again from this one: its endpoint answers already.
        super().__init__(
            path, endpoint if endpoint in _ANSWERING else _answering(endpoint), **kwargs
        )
        self.openapi_extra = list_query_extra(self)


def _answering(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The endpoint, called once no dependency's load was refused (else the refusal is raised)."""

    @functools.wraps(endpoint)  # FastAPI reads the endpoint's own signature through it
    async def answer(**values: Any) -> Any:
        for value in values.values():
            if isinstance(value, Refused):
                raise value.error
        return await endpoint(**values)

    _ANSWERING.add(answer)
    return answer


_ANSWERING: set[Callable[..., Any]] = set()


def _dependency(
    owner: tuple[str, Any],
    id_name: str,
    find: Callable[[AsyncSession, P, uuid.UUID], Awaitable[T | None]],
) -> Any:
    """`Depends` of what `find` gives for (db, owner, the path's id): the row, or its refusal."""

    async def load(db: AsyncSession, **values: Any) -> T | Refused:
        found_in = values[owner[0]]
        if isinstance(found_in, Refused):
            return found_in  # the resource it belongs to was refused already
        try:
            value = await find(db, found_in, values[id_name])
        except AppError as error:
            return Refused(error)
        return Refused(NotFound()) if value is None else value

    keyword = inspect.Parameter.KEYWORD_ONLY
    # FastAPI reads the parameters from the signature: the path id keeps its own name.
    load.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("db", keyword, annotation=DbSession),
            inspect.Parameter(owner[0], keyword, annotation=owner[1]),
            inspect.Parameter(id_name, keyword, annotation=uuid.UUID),
        ]
    )
    load.__name__ = f"{id_name.removesuffix('_id')}_or_404"
    return Depends(load)


def found(value: T | None) -> T:
    """The resource, or 404 (absent and out of reach are the same answer), for a lookup that is
    not a route's dependency (the retention job's, an export's)."""
    if value is None:
        raise NotFound()
    return value


def or_404(loader: Loader[T], id_name: str) -> Any:
    """`Depends` of what `loader` finds within the caller's reach for the path's `id_name`."""
    return _dependency(("actor", CurrentActor), id_name, loader)


def or_404_within(
    parent: Any,
    find: Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[T | None]],
    id_name: str,
) -> Any:
    """`Depends` of what `find` gives for (db, the id of the `parent` resource, the path's id)."""

    async def find_in(db: AsyncSession, owner: Any, child_id: uuid.UUID) -> T | None:
        return await find(db, owner.id, child_id)

    return _dependency(("parent", parent), id_name, find_in)
