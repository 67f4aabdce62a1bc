"""HTTP layer of /sessions, private notes, feedback and calendars."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response, status
from fastapi.responses import JSONResponse
from pydantic import Field

from app.core.actor import Actor
from app.core.deps import CurrentActor, DbSession, UserActor
from app.core.http import etag_for
from app.core.lookup import LoadingRoute
from app.core.openapi import problems
from app.core.pagination import ListQuery, Page, query_of, sorted_by
from app.core.schemas import DayOrMoment, date_range
from app.sessions import calendar, service
from app.sessions.deps import LockedSessionOr404, SessionOr404
from app.sessions.models import MentoringSession
from app.sessions.repository import SESSION_SORT
from app.sessions.schemas import (
    CalendarFeedRead,
    CancelBody,
    FeedbackBody,
    HoldBody,
    NoteBody,
    NoteRead,
    SessionCreate,
    SessionRead,
    SessionStatus,
    SessionUpdate,
)

router = APIRouter(tags=["sessions"], route_class=LoadingRoute)


class SessionListQuery(ListQuery):
    """GET /sessions: the page and its filters (`from` and `to` bound `scheduled_at`)."""

    sort: str | None = sorted_by(SESSION_SORT)
    match_id: uuid.UUID | None = None
    status: SessionStatus | None = None
    from_: DayOrMoment | None = Field(default=None, alias="from")
    to: DayOrMoment | None = None


SessionQuery = Annotated[SessionListQuery, query_of(SessionListQuery)]
ICS = "text/calendar; charset=utf-8"
TRANSITION_ERRORS = problems(409)


def _json(actor: Actor, session: MentoringSession, code: int = 200) -> JSONResponse:
    body = SessionRead.model_validate(service.present(actor, session))
    return JSONResponse(
        body.model_dump(mode="json", exclude_unset=True),
        status_code=code,
        headers={"ETag": etag_for(session.version)},
    )


@router.get(
    "/sessions",
    response_model=Page[SessionRead],
    operation_id="sessions-list",
)
async def list_sessions(
    db: DbSession,
    actor: CurrentActor,
    query: SessionQuery,
) -> Response:
    """List sessions within reach; filters `match_id`, `status`, `from`, `to` (scheduled_at)."""
    since, until = date_range(query.from_, query.to)
    filters = {
        "match_id": query.match_id,
        "status": query.status,
        "from": since,
        "to": until,
    }
    result = await service.list_sessions(db, actor, query.page, filters)
    items = [
        SessionRead.model_validate(service.present(actor, s)).model_dump(
            mode="json", exclude_unset=True
        )
        for s in result.items
    ]
    body: dict[str, Any] = {"items": items, "next_cursor": result.next_cursor}
    if result.total is not None:
        body["total"] = result.total
    return JSONResponse(body)


@router.post(
    "/sessions",
    response_model=SessionRead,
    status_code=status.HTTP_201_CREATED,
    operation_id="sessions-create",
    responses=problems(409),
)
async def create_session(db: DbSession, actor: CurrentActor, body: SessionCreate) -> JSONResponse:
    """Plan a meeting of an accepted or active match (a participant or the coordinator)."""
    session = await service.schedule(db, actor, body)
    response = _json(actor, session, status.HTTP_201_CREATED)
    response.headers["Location"] = f"/api/v1/sessions/{session.id}"
    return response


@router.get(
    "/sessions/{session_id}",
    response_model=SessionRead,
    operation_id="sessions-get",
)
async def get_session(actor: CurrentActor, session: SessionOr404) -> JSONResponse:
    """Read a session: agenda and summary for the pair only."""
    return _json(actor, session)


@router.patch(
    "/sessions/{session_id}",
    response_model=SessionRead,
    operation_id="sessions-update",
    responses=problems(409, 412),
)
async def update_session(
    db: DbSession,
    actor: CurrentActor,
    session: LockedSessionOr404,
    body: SessionUpdate,
    if_match: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Reschedule a planned meeting, or edit the shared agenda and summary (the pair)."""
    return _json(actor, await service.update(db, actor, session, body, if_match))


@router.post(
    "/sessions/{session_id}/hold",
    response_model=SessionRead,
    operation_id="sessions-hold",
    responses=TRANSITION_ERRORS,
)
async def hold_session(
    db: DbSession, actor: CurrentActor, session: LockedSessionOr404, body: HoldBody
) -> JSONResponse:
    """Record that the meeting took place (once its time has come)."""
    return _json(actor, await service.hold(db, actor, session, body))


@router.post(
    "/sessions/{session_id}/cancel",
    response_model=SessionRead,
    operation_id="sessions-cancel",
    responses=TRANSITION_ERRORS,
)
async def cancel_session(
    db: DbSession, actor: CurrentActor, session: LockedSessionOr404, body: CancelBody
) -> JSONResponse:
    """Cancel a planned meeting (reason required)."""
    return _json(actor, await service.cancel(db, actor, session, body.reason))


@router.post(
    "/sessions/{session_id}/no-show",
    response_model=SessionRead,
    operation_id="sessions-no-show",
    responses=TRANSITION_ERRORS,
)
async def no_show_session(
    db: DbSession, actor: CurrentActor, session: LockedSessionOr404
) -> JSONResponse:
    """Record that the meeting did not take place (once its time has come)."""
    return _json(actor, await service.no_show(db, actor, session))


def _note(note: Any) -> NoteRead:
    return NoteRead(text=note.text if note else None, updated_at=note.updated_at if note else None)


@router.get(
    "/sessions/{session_id}/private-note",
    response_model=NoteRead,
    operation_id="sessions-get-private-note",
)
async def get_private_note(db: DbSession, actor: CurrentActor, session: SessionOr404) -> NoteRead:
    """Read your own private note on the session (`text` is null when you wrote none)."""
    return _note(await service.get_note(db, actor, session))


@router.put(
    "/sessions/{session_id}/private-note",
    response_model=NoteRead,
    operation_id="sessions-put-private-note",
)
async def put_private_note(
    db: DbSession, actor: CurrentActor, session: LockedSessionOr404, body: NoteBody
) -> NoteRead:
    """Write your private note; only you can ever read it."""
    return _note(await service.put_note(db, actor, session, body.text))


@router.put(
    "/sessions/{session_id}/feedback",
    response_model=SessionRead,
    operation_id="sessions-put-feedback",
    responses=problems(409, 412),
)
async def put_feedback(
    db: DbSession,
    actor: CurrentActor,
    session: LockedSessionOr404,
    body: FeedbackBody,
    if_match: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Rate a held session 1–5 (the mentee; the program sees it, the mentor does not)."""
    return _json(actor, await service.put_feedback(db, actor, session, body, if_match))


@router.get(
    "/sessions/{session_id}/calendar.ics",
    operation_id="sessions-calendar",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
async def session_calendar(actor: CurrentActor, session: SessionOr404) -> Response:
    """The session as an iCalendar file."""
    body = calendar.session_ics(actor, session)
    return Response(
        body,
        media_type=ICS,
        headers={"Content-Disposition": f'attachment; filename="rencontre-{session.id}.ics"'},
    )


@router.post(
    "/users/me/calendar-feed",
    response_model=CalendarFeedRead,
    status_code=status.HTTP_201_CREATED,
    tags=["users"],
    operation_id="users-create-calendar-feed",
)
async def create_calendar_feed(db: DbSession, actor: UserActor) -> CalendarFeedRead:
    """Create or rotate your secret calendar URL (the previous one stops working)."""
    url, token = await calendar.create_feed(db, actor)
    return CalendarFeedRead(url=url, token=token)


@router.delete(
    "/users/me/calendar-feed",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=["users"],
    operation_id="users-delete-calendar-feed",
)
async def delete_calendar_feed(db: DbSession, actor: UserActor) -> Response:
    """Revoke your calendar URL at once."""
    await calendar.revoke_feed(db, actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/calendar/{token}.ics",
    tags=["calendar"],
    operation_id="calendar-feed",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
async def calendar_feed(db: DbSession, token: str) -> Response:
    """Your sessions as a calendar subscription (no login: the URL is the secret)."""
    return Response(await calendar.feed_ics(db, token), media_type=ICS)
