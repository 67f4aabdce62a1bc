"""HTTP layer of /users."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Response, status
from pydantic import Field

from app.core.deps import CurrentActor, DbSession, UserActor
from app.core.http import set_etag
from app.core.lookup import LoadingRoute
from app.core.openapi import problems
from app.core.pagination import ListQuery, Page, query_of, sorted_by
from app.users import email_links, service
from app.users.deps import UserOr404, UserToInviteOr404, UserToUpdateOr404
from app.users.repository import USER_SORT
from app.users.schemas import Role, UserCreate, UserRead, UserSelfUpdate, UserUpdate

router = APIRouter(prefix="/users", tags=["users"], route_class=LoadingRoute)


class UserListQuery(ListQuery):
    """GET /users: the page and its filters."""

    sort: str | None = sorted_by(USER_SORT)
    role: Role | None = None
    hub_id: uuid.UUID | None = None
    is_active: bool | None = None
    q: str | None = Field(default=None, max_length=100)


UserQuery = Annotated[UserListQuery, query_of(UserListQuery)]


@router.get(
    "/me",
    response_model=UserRead,
    operation_id="users-me",
)
async def read_me(db: DbSession, actor: UserActor, response: Response) -> UserRead:
    """Read the caller's own account."""
    user = await service.get_me(db, actor)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.patch(
    "/me",
    response_model=UserRead,
    operation_id="users-update-me",
    responses=problems(412),
)
async def update_me(
    db: DbSession,
    actor: UserActor,
    body: UserSelfUpdate,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> UserRead:
    """Change the caller's own name, language, password or email preferences."""
    user = await service.update_me(db, actor, body, if_match)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.get(
    "",
    response_model=Page[UserRead],
    operation_id="users-list",
)
async def list_users(
    db: DbSession,
    actor: CurrentActor,
    query: UserQuery,
) -> Page[UserRead]:
    """List accounts within reach (staff); filters `role`, `hub_id`, `is_active`, `q`."""
    result = await service.list_users(db, actor, query.page, **query.filters())
    return result.to_page(UserRead.model_validate)


@router.post(
    "",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    operation_id="users-create",
    responses=problems(409),
)
async def create_user(
    db: DbSession, actor: CurrentActor, body: UserCreate, response: Response
) -> UserRead:
    """Create an account (admins: any; coordinators: mentors and mentees of their hub)."""
    user = await service.create_user(db, actor, body)
    set_etag(response, user.version)
    response.headers["Location"] = f"/api/v1/users/{user.id}"
    return UserRead.model_validate(user)


@router.get(
    "/{user_id}",
    response_model=UserRead,
    operation_id="users-get",
)
async def get_user(user: UserOr404, response: Response) -> UserRead:
    """Read one account within reach."""
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.patch(
    "/{user_id}",
    response_model=UserRead,
    operation_id="users-update",
    responses=problems(409, 412),
)
async def update_user(
    db: DbSession,
    actor: CurrentActor,
    user: UserToUpdateOr404,
    body: UserUpdate,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> UserRead:
    """Change an account within reach (staff)."""
    user = await service.update_user(db, actor, user, body, if_match)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.post(
    "/{user_id}/invitation",
    status_code=status.HTTP_202_ACCEPTED,
    response_class=Response,
    operation_id="users-invite",
    responses=problems(409),
)
async def invite_user(db: DbSession, actor: CurrentActor, user: UserToInviteOr404) -> Response:
    """Email a new invitation link to an account (staff); the previous link stops working."""
    await email_links.reinvite(db, actor, user)
    return Response(status_code=status.HTTP_202_ACCEPTED)
