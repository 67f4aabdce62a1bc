"""HTTP layer of /notifications (admins) and of the password-reset request."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Response, status

from app.core.deps import AdminActor, DbSession
from app.core.lookup import LoadingRoute
from app.core.pagination import ListQuery, Page, query_of, sorted_by
from app.notifications import account_mail, service
from app.notifications.rendering import KINDS
from app.notifications.repository import NOTIFICATION_SORT
from app.notifications.schemas import NotificationRead, NotificationStatus, PasswordResetRequest

if TYPE_CHECKING:
    TemplateCode = str
else:
    # An enum in the OpenAPI document, and a 422 for an unknown template in the filter.
    TemplateCode = Literal[tuple(KINDS)]

router = APIRouter(tags=["notifications"], route_class=LoadingRoute)


class NotificationListQuery(ListQuery):
    """GET /notifications: the page and its filters."""

    sort: str | None = sorted_by(NOTIFICATION_SORT)
    status: NotificationStatus | None = None
    template: TemplateCode | None = None
    recipient_user_id: uuid.UUID | None = None


NotificationQuery = Annotated[NotificationListQuery, query_of(NotificationListQuery)]


@router.get(
    "/notifications",
    response_model=Page[NotificationRead],
    operation_id="notifications-list",
)
async def list_notifications(
    db: DbSession,
    actor: AdminActor,
    query: NotificationQuery,
) -> Page[NotificationRead]:
    """List emails, newest first (admins): recipient, template, locale, status, attempts, times."""
    result = await service.list_log(
        db,
        actor,
        query.page,
        status=query.status,
        template=query.template,
        recipient_user_id=query.recipient_user_id,
    )
    return result.to_page(NotificationRead.model_validate)


@router.post(
    "/auth/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    response_class=Response,
    operation_id="auth-password-reset",
    tags=["auth"],
)
async def request_password_reset(db: DbSession, body: PasswordResetRequest) -> Response:
    """Email a single-use reset link to the account, if one exists (always 202)."""
    await account_mail.send_password_reset(db, body.email)
    return Response(status_code=status.HTTP_202_ACCEPTED)
