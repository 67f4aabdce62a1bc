"""Load-or-404 dependencies: a route receives the resource its path names, or answers 404.

`MatchOr404 = Annotated[Match, or_404(repo.get_visible, "match_id")]` gives the route the match
within the caller's reach; the 404 is raised here, once, never by the service. The loader runs on
the request's own DbSession (FastAPI resolves a dependency once per request, so every dependency
and the route share it): a row it locks (`for_update=True`) stays locked by the request's
transaction while the service checks its rule. A loader that must refuse a role first (403 before
the lookup) does so before it loads.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.actor import Actor
from app.core.deps import CurrentActor, DbSession
from app.core.errors import NotFound

T = TypeVar("T")

#: Finds a resource by id within the caller's reach (None: absent or out of reach).
Loader = Callable[[AsyncSession, Actor, uuid.UUID], Awaitable[T | None]]


def found(value: T | None) -> T:
    """The resource, or 404 (absent and out of reach are the same answer)."""
    if value is None:
        raise NotFound()
    return value


def or_404(loader: Loader[T], id_name: str) -> Any:
    """`Depends` of what `loader` finds for the path parameter `id_name`, else 404."""

    async def load(db: AsyncSession, actor: Actor, **path: uuid.UUID) -> T:
        return found(await loader(db, actor, path[id_name]))

    keyword = inspect.Parameter.KEYWORD_ONLY
    # FastAPI reads the parameters from the signature: the path id keeps its own name.
    load.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("db", keyword, annotation=DbSession),
            inspect.Parameter("actor", keyword, annotation=CurrentActor),
            inspect.Parameter(id_name, keyword, annotation=uuid.UUID),
        ]
    )
    load.__name__ = f"{id_name.removesuffix('_id')}_or_404"
    return Depends(load)
