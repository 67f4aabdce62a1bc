"""One family of domain errors, rendered as RFC 9457 problems by one handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from app.core.i18n import Locale
from app.core.messages import VALIDATION_MESSAGES_FR

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


@dataclass(frozen=True, slots=True)
class Text:
    """One sentence of a problem in each language of the API."""

    fr: str
    en: str

    def __getitem__(self, locale: Locale) -> str:
        return self.en if locale == "en" else self.fr


# Problem type -> the class that declared it (its title and detail live there).
_BY_TYPE: dict[str, type[AppError]] = {}


class AppError(Exception):
    """A failure the client can act on; carries its status, problem type, title and detail.

    A subclass naming a new `type` declares its `title` and `detail` beside it, once (a detail
    takes str.format parameters); a subclass repeating a known type without text (the same
    problem raised from another domain) takes the text of the class that declared it.
    """

    status: int = 400
    type: ClassVar[str] = "bad-request"
    title: ClassVar[Text] = Text(fr="Requête incorrecte", en="Bad request")
    detail: ClassVar[Text] = Text(fr="La requête est mal formée.", en="The request is malformed.")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "type" not in vars(cls):
            return  # its parent's problem (it may word the detail its own way)
        first = _BY_TYPE.get(cls.type)
        if "title" not in vars(cls) and first is not None:
            cls.title, cls.detail = first.title, first.detail
            return
        if "title" not in vars(cls) or "detail" not in vars(cls):
            raise TypeError(f"{cls.__qualname__}: problem {cls.type!r} without title and detail")
        if first is not None and first.__qualname__ != cls.__qualname__:
            raise TypeError(f"{cls.__qualname__}: problem {cls.type!r} already declared")
        _BY_TYPE[cls.type] = cls

    def __init__(
        self,
        *,
        params: dict[str, Any] | None = None,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.params = params or {}
        self.errors = list(errors)
        self.headers = headers or {}
        self.extra = extra or {}
        # Work that must outlive the request's rolled-back transaction (an audit of the refusal).
        self.after_rollback: list[Callable[[], Awaitable[None]]] = []
        super().__init__(self.type)

    @property
    def problem_type(self) -> str:
        """The problem's `type`, what a front end switches on."""
        return self.type

    def render(self, locale: Locale) -> dict[str, Any]:
        """The problem document in the caller's language."""
        template = self.detail[locale]
        try:
            detail = template.format(**self.params)
        except (KeyError, IndexError):
            detail = template
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title[locale],
            "status": self.status,
            "detail": detail,
        }
        if self.errors:
            body["errors"] = [e.render(locale) for e in self.errors]
        body.update(self.extra)
        return body


_BY_TYPE[AppError.type] = AppError


def problem_class(type_: str) -> type[AppError]:
    """The class that declared this problem type (KeyError for a type nobody declared)."""
    return _BY_TYPE[type_]


class ValidationFailed(AppError):
    """422: a field is invalid, unknown, or not settable by the caller."""

    status = 422
    type = "validation-error"
    title = Text(fr="Requête invalide", en="Invalid request")
    detail = Text(fr="Un ou plusieurs champs sont invalides.", en="One or more fields are invalid.")

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
    title = Text(fr="Authentification requise", en="Authentication required")
    detail = Text(fr="Un jeton d'accès valide est requis.", en="A valid access token is required.")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(**kwargs)


class InvalidToken(Unauthenticated):
    """401: the token is invalid, expired or revoked."""

    type = "invalid-token"
    title = Text(fr="Jeton invalide", en="Invalid token")
    detail = Text(
        fr="Le jeton est invalide, expiré ou révoqué.",
        en="The token is invalid, expired or revoked.",
    )


class InvalidCredentials(Unauthenticated):
    """401: wrong email or password (the same answer for both)."""

    type = "invalid-credentials"
    title = Text(fr="Identifiants invalides", en="Invalid credentials")
    detail = Text(fr="Courriel ou mot de passe incorrect.", en="Incorrect email or password.")


class InvalidClient(Unauthenticated):
    """401: wrong API client id or secret."""

    type = "invalid-client"
    title = Text(fr="Client invalide", en="Invalid client")
    detail = Text(
        fr="Identifiant ou secret de client incorrect.", en="Incorrect client id or secret."
    )


class Forbidden(AppError):
    """403: the caller's role may not do this at all."""

    status = 403
    type = "forbidden"
    title = Text(fr="Accès refusé", en="Forbidden")
    detail = Text(
        fr="Votre rôle ne permet pas cette action.", en="Your role does not allow this action."
    )


class NotFound(AppError):
    """404: absent, or outside the caller's reach (never 403, so ids cannot be probed)."""

    status = 404
    type = "not-found"
    title = Text(fr="Introuvable", en="Not found")
    detail = Text(
        fr="La ressource demandée n'existe pas ou ne vous est pas accessible.",
        en="The requested resource does not exist or is not available to you.",
    )


class Conflict(AppError):
    """409: the request conflicts with the current state."""

    status = 409
    type = "conflict"
    title = Text(fr="Conflit", en="Conflict")
    detail = Text(
        fr="La requête entre en conflit avec l'état actuel de la ressource.",
        en="The request conflicts with the current state of the resource.",
    )


class AlreadyExists(Conflict):
    """409: a unique value is taken."""

    type = "already-exists"
    title = Text(fr="Déjà existant", en="Already exists")
    detail = Text(
        fr="Une ressource avec ce {field} existe déjà.",
        en="A resource with this {field} already exists.",
    )


class EmailUnavailable(Conflict):
    """409: an account uses this email; the answer never says whose, nor in which hub."""

    type = "email-unavailable"
    title = Text(fr="Adresse courriel non disponible", en="Email unavailable")
    detail = Text(
        fr="Cette adresse courriel ne peut pas servir à un nouveau compte.",
        en="This email address cannot be used for a new account.",
    )


class InvalidTransition(Conflict):
    """409: the state machine does not allow this action now."""

    type = "invalid-transition"
    title = Text(fr="Transition impossible", en="Invalid transition")
    detail = Text(
        fr="L'action « {action} » n'est pas possible à l'état « {status} ».",
        en="Action '{action}' is not possible in status '{status}'.",
    )


class PreconditionFailed(AppError):
    """412: If-Match names a stale version."""

    status = 412
    type = "precondition-failed"
    title = Text(fr="Version périmée", en="Stale version")
    detail = Text(
        fr="La ressource a changé depuis votre lecture (version actuelle : {version}).",
        en="The resource changed since you read it (current version: {version}).",
    )


class PayloadTooLarge(AppError):
    """413: the body is over the limit."""

    status = 413
    type = "payload-too-large"
    title = Text(fr="Corps trop volumineux", en="Payload too large")
    detail = Text(
        fr="Le corps de la requête dépasse {limit} octets.",
        en="The request body exceeds {limit} bytes.",
    )


class TooManyRequests(AppError):
    """429: slow down; `Retry-After` says for how long."""

    status = 429
    type = "too-many-requests"
    title = Text(fr="Trop de tentatives", en="Too many attempts")
    detail = Text(
        fr="Trop d'échecs de connexion. Réessayez dans {seconds} s.",
        en="Too many failed logins. Try again in {seconds} s.",
    )


class ServiceUnavailable(AppError):
    """503: a dependency (the database) is down."""

    status = 503
    type = "service-unavailable"
    title = Text(fr="Service indisponible", en="Service unavailable")
    detail = Text(fr="La base de données est injoignable.", en="The database is unreachable.")


class InvalidLink(AppError):
    """400: an emailed link's token is unknown, expired or already used."""

    status = 400
    type = "invalid-link"
    title = Text(fr="Lien invalide", en="Invalid link")
    detail = Text(
        fr="Ce lien est invalide, expiré ou déjà utilisé. Demandez-en un nouveau.",
        en="This link is invalid, expired or already used. Ask for a new one.",
    )


class MethodNotAllowed(AppError):
    """405: the address exists, not for this method (`Allow` names those it takes)."""

    status = 405
    type = "method-not-allowed"
    title = Text(fr="Méthode non permise", en="Method not allowed")
    detail = Text(
        fr="La méthode {method} n'est pas permise sur cette adresse.",
        en="Method {method} is not allowed on this address.",
    )


class NotAcceptable(AppError):
    """406: the format asked for in `Accept` is not available."""

    status = 406
    type = "not-acceptable"
    title = Text(fr="Format non disponible", en="Not acceptable")
    detail = Text(
        fr="Le format demandé n'est pas disponible.", en="The requested format is not available."
    )


class UnsupportedMediaType(AppError):
    """415: the body is not JSON."""

    status = 415
    type = "unsupported-media-type"
    title = Text(fr="Type de contenu non pris en charge", en="Unsupported media type")
    detail = Text(fr="Envoyez le corps en JSON.", en="Send the body as JSON.")


class InternalError(AppError):
    """500: an unexpected failure; logged, never detailed to the caller."""

    status = 500
    type = "internal-error"
    title = Text(fr="Erreur interne", en="Internal error")
    detail = Text(
        fr="Une erreur inattendue est survenue. Elle a été consignée.",
        en="An unexpected error occurred. It has been logged.",
    )


class ProfileAnonymised(Conflict):
    """409: an anonymised profile no longer changes, nor are its words published."""

    type = "profile-anonymised"
    title = Text(fr="Profil anonymisé", en="Profile anonymised")
    detail = Text(
        fr="Ce profil a été anonymisé et ne peut plus être modifié.",
        en="This profile was anonymised and can no longer change.",
    )


class StatusSetBySystem(Conflict):
    """409: a profile's status follows the person's matches."""

    type = "status-set-by-system"
    title = Text(fr="Statut géré par le programme", en="Status follows the matches")
    detail = Text(
        fr="Le statut « {status} » suit les jumelages : terminez d'abord le jumelage.",
        en="Status '{status}' follows the matches: end the match first.",
    )


# The plain problem of a status, where no rule of the program names a more precise type.
_PLAIN: dict[int, type[AppError]] = {
    400: AppError,
    401: Unauthenticated,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    406: NotAcceptable,
    409: Conflict,
    415: UnsupportedMediaType,
    500: InternalError,
    503: ServiceUnavailable,
}


def plain_error(status: int) -> AppError | None:
    """The problem an HTTP status answers without a more precise rule (None: no such default)."""
    kind = _PLAIN.get(status)
    return kind() if kind else None
