"""One family of domain errors, rendered as RFC 9457 problems by one handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from app.core.i18n import Locale
from app.core.messages import PROBLEMS, VALIDATION_MESSAGES_FR

PROBLEM_JSON = "application/problem+json"


class FieldError:
    """One field-level validation failure (`loc`, `msg`, `type`)."""

    __slots__ = ("kind", "loc", "msg")

    def __init__(self, loc: Sequence[str | int], msg: str, kind: str = "value_error") -> None:
        self.loc = tuple(loc)
        self.msg = msg
        self.kind = kind

    def render(self, locale: Locale) -> dict[str, Any]:
        """The entry of a problem's `errors` list."""
        msg = self.msg
        if locale == "fr":
            msg = VALIDATION_MESSAGES_FR.get(self.kind, msg) if self.kind != "custom" else msg
        return {"loc": list(self.loc), "msg": msg, "type": self.kind}


class AppError(Exception):
    """A failure the client can act on; carries its status and problem type."""

    status: int = 400
    type: str = "bad-request"

    def __init__(
        self,
        *,
        type_: str | None = None,
        params: dict[str, Any] | None = None,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
        detail: dict[Locale, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.problem_type = type_ or self.type
        self.params = params or {}
        self.errors = list(errors)
        self.headers = headers or {}
        self.detail_override = detail
        self.extra = extra or {}
        # Work that must outlive the request's rolled-back transaction (an audit of the refusal).
        self.after_rollback: list[Callable[[], Awaitable[None]]] = []
        super().__init__(self.problem_type)

    def render(self, locale: Locale) -> dict[str, Any]:
        """The problem document in the caller's language."""
        entry = PROBLEMS.get(self.problem_type) or PROBLEMS["bad-request"]
        title, detail_template = entry[locale]
        if self.detail_override is not None:
            detail = self.detail_override[locale]
        else:
            try:
                detail = detail_template.format(**self.params)
            except (KeyError, IndexError):
                detail = detail_template
        body: dict[str, Any] = {
            "type": self.problem_type,
            "title": title,
            "status": self.status,
            "detail": detail,
        }
        if self.errors:
            body["errors"] = [e.render(locale) for e in self.errors]
        body.update(self.extra)
        return body


class ValidationFailed(AppError):
    """422: a field is invalid, unknown, or not settable by the caller."""

    status = 422
    type = "validation-error"

    @classmethod
    def field(
        cls, loc: Sequence[str | int], msg: str, kind: str = "value_error"
    ) -> ValidationFailed:
        """A 422 naming one field."""
        return cls(errors=[FieldError(loc, msg, kind)])

    @classmethod
    def forbidden_field(cls, loc: Sequence[str | int]) -> ValidationFailed:
        """A 422 for a field the caller may not set."""
        return cls.field(loc, "You may not set this field", "forbidden_field")

    @classmethod
    def unreachable(cls, loc: Sequence[str | int]) -> ValidationFailed:
        """A 422 for an id in a body that the caller cannot reach, whether or not it exists."""
        return cls.field(loc, "Unknown or unreachable reference", "unreachable_reference")


class Unauthenticated(AppError):
    """401: no valid credentials."""

    status = 401
    type = "unauthenticated"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(**kwargs)


class InvalidToken(Unauthenticated):
    """401: the token is invalid, expired or revoked."""

    type = "invalid-token"


class InvalidCredentials(Unauthenticated):
    """401: wrong email or password (the same answer for both)."""

    type = "invalid-credentials"


class InvalidClient(Unauthenticated):
    """401: wrong API client id or secret."""

    type = "invalid-client"


class Forbidden(AppError):
    """403: the caller's role may not do this at all."""

    status = 403
    type = "forbidden"


class NotFound(AppError):
    """404: absent, or outside the caller's reach (never 403, so ids cannot be probed)."""

    status = 404
    type = "not-found"


class Conflict(AppError):
    """409: the request conflicts with the current state."""

    status = 409
    type = "conflict"


class AlreadyExists(Conflict):
    """409: a unique value is taken."""

    type = "already-exists"


class EmailUnavailable(Conflict):
    """409: an account uses this email; the answer never says whose, nor in which hub."""

    type = "email-unavailable"


class InvalidTransition(Conflict):
    """409: the state machine does not allow this action now."""

    type = "invalid-transition"


class PreconditionFailed(AppError):
    """412: If-Match names a stale version."""

    status = 412
    type = "precondition-failed"


class PayloadTooLarge(AppError):
    """413: the body is over the limit."""

    status = 413
    type = "payload-too-large"


class TooManyRequests(AppError):
    """429: slow down; `Retry-After` says for how long."""

    status = 429
    type = "too-many-requests"


class ServiceUnavailable(AppError):
    """503: a dependency (the database) is down."""

    status = 503
    type = "service-unavailable"


class InvalidLink(AppError):
    """400: an emailed link's token is unknown, expired or already used."""

    status = 400
    type = "invalid-link"


# The plain problem of a status, where no rule of the program names a more precise type.
_PLAIN: dict[int, type[AppError]] = {
    401: Unauthenticated,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    503: ServiceUnavailable,
}


def plain_error(status: int) -> AppError | None:
    """The problem an HTTP status answers without a more precise rule (None: no such default)."""
    kind = _PLAIN.get(status)
    return kind() if kind else None
