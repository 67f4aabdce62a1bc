"""The exception handlers that turn every failure into an RFC 9457 problem."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.allow import allowed_methods
from app.core.errors import (
    PROBLEM_JSON,
    AppError,
    FieldError,
    InternalError,
    MethodNotAllowed,
    PayloadTooLarge,
    ValidationFailed,
    plain_error,
)
from app.core.i18n import negotiate
from app.core.idempotency import ReplayStored
from app.core.middleware import log_unexpected

logger = logging.getLogger("mentorat")


def replay_response(_request: Request, exc: Exception) -> Response:
    """The stored first answer to a POST retried with the same Idempotency-Key."""
    assert isinstance(exc, ReplayStored)
    headers = {**exc.headers, "idempotent-replayed": "true"}
    return Response(exc.body, status_code=exc.status_code, headers=headers)


def problem_response(request: Request, error: AppError) -> JSONResponse:
    """Render an AppError in the language the caller asked for."""
    locale = negotiate(request.headers.get("accept-language"))
    return JSONResponse(
        error.render(locale),
        status_code=error.status,
        headers=error.headers or None,
        media_type=PROBLEM_JSON,
    )


def _clean_loc(loc: tuple[Any, ...]) -> list[str | int]:
    # FastAPI prefixes body fields with "body"; keep it, front ends map it to the form.
    return [part if isinstance(part, int) else str(part) for part in loc]


def validation_error_from(exc: RequestValidationError) -> ValidationFailed:
    """A 422 naming every field pydantic refused."""
    errors: list[FieldError] = []
    for item in exc.errors():
        kind = str(item.get("type", "value_error"))
        msg = str(item.get("msg", "Invalid value"))
        if kind == "value_error" and msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")
            kind = "custom"
        errors.append(FieldError(_clean_loc(tuple(item.get("loc", ()))), msg, kind))
    return ValidationFailed(errors=errors)


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    # The request's transaction has rolled back by now (its session dependency exits first).
    for hook in exc.after_rollback:
        try:
            await hook()
        except Exception:
            logger.exception("after-rollback work of a %s answer failed", exc.status)
    return problem_response(request, exc)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if any(item.get("loc", ())[:1] == ("path",) for item in exc.errors()):
        # `DELETE /testimonials/pending` reached `DELETE /testimonials/{evaluation_id}` as text;
        # the resource at this URL exists (GET), only not for this method: 405, like any other.
        allowed = allowed_methods(request.app.router.routes, request.scope)
        if allowed and request.method not in allowed:
            return problem_response(request, _method_not_allowed(request, allowed))
    return problem_response(request, validation_error_from(exc))


def _method_not_allowed(request: Request, allowed: list[str]) -> AppError:
    return MethodNotAllowed(
        params={"method": request.method}, headers={"Allow": ", ".join(allowed)}
    )


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    error: AppError
    if status == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI reads a JSON body with json.loads, which refuses invalid UTF-8 before any
        # JSON is parsed, and answers 400; the contract's answer to a malformed body is this 422.
        error = ValidationFailed.field(["body"], "JSON decode error", "json_invalid")
    elif status == 413:
        error = PayloadTooLarge(params={"limit": "?"})
    elif status == 405:
        error = _method_not_allowed(
            request, allowed_methods(request.app.router.routes, request.scope)
        )
    elif (plain := plain_error(status)) is not None:
        error = plain  # 400, 401, 403, 404, 406, 409, 415, 500, 503
    else:
        error = AppError()
        error.status = status
    # Starlette's own `Allow` names only the first matching route's methods: ours stays.
    for name, value in (exc.headers or {}).items():
        if name.lower() != "allow" or status != 405:
            error.headers[name] = value
    return problem_response(request, error)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    request_id = request.scope.get("state", {}).get("request_id", "-")
    log_unexpected(exc, request.method, request.scope.get("route"), request_id)
    error = InternalError()
    # This answer is rendered outside the middleware that sets these headers on the others.
    response = problem_response(request, error)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    if request_id != "-":
        response.headers["X-Request-ID"] = request_id
    return response


def install_handlers(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(ReplayStored, replay_response)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
