"""Examples in the OpenAPI document: a realistic value for every request and response body.

A front-end developer reads an operation in Swagger UI or ReDoc and sees what to send and what
comes back; Schemathesis sends the request examples first. The values are built from each body's
own schema, so they cannot drift from it: a field takes its own `examples` when its model gives
some, else the program's value for a field of that name (a Montréal hub, a co-operative's
director, a monthly session), else one that fits its type, format and enum. Ids are stable:
`mentor_id` of a match is the `id` of the mentor example. Error responses show the problem the
service really renders for that status, in French, the default language.
"""

from __future__ import annotations

import copy
import functools
import uuid
from collections.abc import Callable
from typing import Any

from app.core.errors import (
    AlreadyExists,
    AppError,
    Conflict,
    EmailUnavailable,
    InvalidClient,
    InvalidCredentials,
    InvalidLink,
    InvalidToken,
    InvalidTransition,
    PayloadTooLarge,
    PreconditionFailed,
    ProfileAnonymised,
    StatusSetBySystem,
    TooManyRequests,
    Unauthenticated,
    ValidationFailed,
    plain_error,
    problem_class,
)
from app.core.idempotency import KeyInUse, idempotent_post
from app.core.ratelimit import RateLimited

_NAMESPACE = uuid.UUID("6d656e74-6f72-4174-8000-6578616d706c")
_DEPTH = 8


def _uuid_text(kind: str) -> str:
    """The example id of a kind of thing (the same in every example that names it)."""
    return str(uuid.uuid5(_NAMESPACE, kind))


# Values by field name: what the program's own data looks like.
_BY_NAME: dict[str, Any] = {
    "first_name": "Marie",
    "last_name": "Tremblay",
    "full_name": "Marie Tremblay",
    "email": "marie.tremblay@example.org",
    "recipient_email": "marie.tremblay@example.org",
    "contact_email": "info@pole-montreal.example",
    "username": "marie.tremblay@example.org",
    "phone": "+15145550142",
    "organization_name": "Coopérative de solidarité Le Grenier",
    "role_title": "Directrice générale",
    "employees": 14,
    "years_in_role": 3,
    "years_experience": 22,
    "capacity": 2,
    "open_matches": 1,
    "bio": "Vingt ans à la direction d'une coopérative de travail en alimentation.",
    "goals": "Préparer la relève et revoir la gouvernance avant l'assemblée annuelle.",
    "excluded_organizations": ["Coopérative de travail La Remise"],
    "slug": "montreal",
    "hub_slug": "montreal",
    "name": "Pôle d'économie sociale de Montréal",
    "regions": ["06", "13"],
    "regions_served": ["06", "13"],
    "region": "06",
    "languages": ["fr", "en"],
    "expertise": ["governance", "finance"],
    "needs": ["governance", "succession"],
    "sectors": ["agri_food"],
    "sector": "agri_food",
    "legal_forms_known": ["solidarity_coop", "worker_coop"],
    "legal_form": "solidarity_coop",
    "meeting_modes": ["video", "in_person"],
    "mode": "video",
    "availability": ["tue_pm", "thu_eve"],
    "locale": "fr",
    "lang": "fr",
    "side": "mentor",
    "description": "CRM du pôle",
    "url": "https://crm.example.org/hooks",
    "location": "Maison de l'économie sociale, 1431 rue Fullum, Montréal",
    "agenda": "Préparer la présentation du budget au conseil d'administration.",
    "summary": "Budget revu ligne par ligne; la présentation est prête pour jeudi.",
    "comment": "Une rencontre très utile, merci.",
    "text": "Revenir sur le plan de relève à la prochaine rencontre.",
    "learnings": "Déléguer davantage et préparer les réunions du conseil.",
    "testimonial": "Mon mentor m'a aidée à voir plus loin que la prochaine paie.",
    "reason": "Le mentor a changé de région.",
    "reasons": ["Expertise : gouvernance, finances", "Région desservie : Montréal"],
    "health": {"status": "ok", "reasons": []},
    "password": "une-phrase-de-passe-solide",
    "current_password": "mon-ancienne-phrase-de-passe",
    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI…",
    "refresh_token": "rt_8Qv1wH3kZr5YtN0cLxP2aE6sJ9uB4mDf",
    "token_type": "bearer",
    "expires_in": 900,
    "client_id": "mc_4f2a9c1e7b",
    "client_secret": "mcs_kF7pQ2vX9zL4rT8wN1bY6hJ3",
    "secret": "whsec_R2d8Kx0vQm5Nz7Lp3Wy9Bt4H",
    "token": "cal_Zt6Qk1Vn8Rw3Xp5Ls2Jm9Hd4",
    "next_cursor": "eyJrIjpbIjIwMjYtMTEtMDNUMTQ6MDA6MDBaIl19.q3Vx",
    "grant_type": "password",
    "scope": "mentors:read matches:read",
    "scopes": ["mentors:read", "matches:read"],
    "events": ["match.accepted", "session.held"],
    "event_type": "match.accepted",
    "template": "match_proposed",
    "action": "accepted_by_mentor",
    "resource_type": "match",
    "request_id": "01J9Z6T3QK4W8N2C5V7B0XRMHF",
    "duration_minutes": 60,
    "duration_ms": 84,
    "status_code": 200,
    "attempts": 1,
    "satisfaction": 5,
    "goals_met": 4,
    "rating": 5,
    "score": 0.82,
    "total_score": 12.4,
    "greedy_total": 11.9,
    "min_score": 0.3,
    "total": 1,
    "version": 1,
    "retention_years": 7,
    "health_at_risk_days": 45,
    "health_stalled_days": 90,
    "method": "dense",
    "considered": 24,
    "feasible": 180,
    "response_body": "ok",
    "period": "2026-11",
    "label": "Montréal",
    "fr": "Montréal",
    "en": "Montreal",
    "value": 12,
    "weight": 1.0,
    "points": 0.25,
    "breakdown": {
        "needs": {"value": 1.0, "weight": 0.35, "points": 0.35},
        "proximity": {"value": 1.0, "weight": 0.15, "points": 0.15},
        "availability": {"value": 0.5, "weight": 0.15, "points": 0.075},
    },
    "weights": {
        "needs": 0.35,
        "sector": 0.15,
        "legal_form": 0.1,
        "proximity": 0.15,
        "availability": 0.15,
        "experience": 0.1,
    },
    "matching_weights": {
        "needs": 0.4,
        "sector": 0.1,
        "legal_form": 0.1,
        "proximity": 0.2,
        "availability": 0.1,
        "experience": 0.1,
    },
    "timings": {"load": 0.0123, "engine": 0.0311, "store": 0.0048, "total": 0.0482},
    "parameters": {"mentee_ids": None, "min_score": 0.3, "mentees": 12, "mentors": 24},
    "details": {"from_status": "proposed", "to_status": "accepted"},
    "skipped": [],
    "excluded": {},
}

# Values for one field of one model, where the name alone says too little.
_BY_FIELD: dict[str, Any] = {
    "ConsentCreate.version": "2026-01",
    "ConsentRead.version": "2026-01",
    "CalendarFeedRead.url": "https://mentorat.example/api/v1/calendar/cal_Zt6Qk1Vn8Rw3Xp5Ls2Jm9Hd4.ics",
    "UnmatchedMentee.reason": "no_feasible_mentor",
    "UnmatchedMentee.mentee_id": _uuid_text("another mentee"),
    "MentorRead.status": "active",
    "MatchRead.status": "active",
    "SessionRead.status": "held",
    "NotificationRead.status": "sent",
    "WebhookDeliveryRead.status": "succeeded",
    "HealthRead.reasons": [],
    "SuggestedMentor.id": _uuid_text("mentor"),
    "EvaluationRead.author_profile_id": _uuid_text("mentee"),
    "PendingTestimonialRead.author_profile_id": _uuid_text("mentee"),
    "EvaluationRead.testimonial_status": "pending",
    "PendingTestimonialRead.id": _uuid_text("evaluation"),
    "PendingTestimonialRead.testimonial_status": "pending",
    "TestimonialRead.id": _uuid_text("evaluation"),
    "ActorRef.id": _uuid_text("user"),
    "HistoryEntry.action": "proposed",
    "HistoryEntry.reason": None,
    "HistoryEntry.to_status": "proposed",
    "MenteeRead.status": "active",
    "ApiClientCreate.name": "CRM du pôle",
    "ApiClientRead.name": "CRM du pôle",
    "ApiClientCreated.name": "CRM du pôle",
}

_BY_FORMAT: dict[str, Any] = {
    "date-time": "2026-11-03T19:00:00Z",
    "date": "2026-09-15",
    "email": "marie.tremblay@example.org",
    "uri": "https://crm.example.org/hooks",
}

_MOMENTS: dict[str, str] = {
    "scheduled_at": "2026-12-10T19:00:00Z",
    "mentor_accepted_at": "2026-09-09T15:30:00Z",
    "mentee_accepted_at": "2026-09-09T18:10:00Z",
    "given_at": "2026-05-20T14:00:00Z",
    "sent_at": "2026-11-03T19:00:04Z",
    "delivered_at": "2026-11-03T19:00:01Z",
    "next_attempt_at": "2026-11-03T19:00:00Z",
    "at": "2026-11-03T19:00:00Z",
    "ends_at": "2026-12-10T20:00:00Z",
    "held_at": "2026-12-10T20:05:00Z",
    "created_at": "2026-09-08T13:05:00Z",
    "updated_at": "2026-11-03T19:00:00Z",
    "starts_on": "2026-09-15",
    "ends_on": "2027-09-15",
    "agreement_signed_on": "2026-09-10",
    "trained_on": "2026-05-20",
    "ethics_signed_on": "2026-05-20",
    "match_ended_on": "2026-06-30",
    "published_at": "2026-07-08T15:00:00Z",
    "approved_at": "2026-07-08T15:00:00Z",
    "from": "2026-01-01",
    "to": "2026-12-31",
}

# What a PATCH example changes: a couple of fields, as a front end would send.
_PATCH_FIELDS: dict[str, tuple[str, ...]] = {
    "MentorUpdate": ("capacity", "availability"),
    "MenteeUpdate": ("goals", "availability"),
    "HubUpdate": ("contact_email", "health_at_risk_days"),
    "SessionUpdate": ("scheduled_at", "location"),
    "UserUpdate": ("full_name", "locale"),
    "UserSelfUpdate": ("locale", "notifications"),
    "WebhookUpdate": ("events", "is_active"),
}

# Bodies whose fields depend on each other: one named example per way of using them.
_NAMED: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {
    "Body_auth-token": {
        "password": (
            "Log in with email and password",
            {
                "grant_type": "password",
                "username": "marie.tremblay@example.org",
                "password": "une-phrase-de-passe-solide",
            },
        ),
        "refresh_token": (
            "Refresh an expired access token",
            {"grant_type": "refresh_token", "refresh_token": _BY_NAME["refresh_token"]},
        ),
        "client_credentials": (
            "A partner's API client",
            {
                "grant_type": "client_credentials",
                "client_id": _BY_NAME["client_id"],
                "client_secret": _BY_NAME["client_secret"],
            },
        ),
    },
}

_CONSENT = {"version": _BY_FIELD["ConsentRead.version"], "given_at": _MOMENTS["given_at"]}
_CLOSED = {"mentee_accepted_at": None, "starts_on": None, "ends_on": None}
_NOT_HELD = {"held_at": None, "summary": None, "feedback": None}
_EXPORT = {
    "exported_at": "2026-11-03T19:00:00+00:00",
    "kind": "mentee",
    "profile": {"id": _uuid_text("mentee"), "first_name": "Marie", "last_name": "Tremblay"},
    "account": None,
    "consents": [
        {
            "action": "consent_given",
            "version": "2026-01",
            "at": "2026-05-20T14:00:00+00:00",
            "recorded_by": {"type": "user", "id": _uuid_text("user")},
        }
    ],
    "audit_events": [],
    "matches": [],
    "sessions": [],
    "evaluations": [],
}

# What differs in the answer of an operation from the resource's usual example: a match just
# proposed is not active, a cancelled session was not held. `None` as a whole answer: kept.
_RESPONSES: dict[str, dict[str, Any]] = {
    "matches-create": {
        "status": "proposed",
        "mentor_accepted_at": None,
        "agreement_signed_on": None,
        **_CLOSED,
    },
    "matches-accept": {
        "status": "accepted",
        "agreement_signed_on": None,
        "starts_on": None,
        "ends_on": None,
    },
    "matches-decline": {
        "status": "declined",
        "mentor_accepted_at": None,
        "agreement_signed_on": None,
        "end_reason": "Le mentor a changé de région.",
        **_CLOSED,
    },
    "matches-cancel": {
        "status": "cancelled",
        "agreement_signed_on": None,
        "end_reason": "Le mentor a changé de région.",
        **_CLOSED,
    },
    "matches-complete": {"status": "completed"},
    "matches-end": {
        "status": "ended_early",
        "end_reason": "La coopérative a fermé ses portes.",
    },
    "sessions-create": {"status": "scheduled", **_NOT_HELD},
    "sessions-update": {"status": "scheduled", **_NOT_HELD},
    "sessions-cancel": {
        "status": "cancelled",
        "cancel_reason": "Empêchement de dernière minute.",
        **_NOT_HELD,
    },
    "sessions-no-show": {"status": "no_show", **_NOT_HELD},
    "mentors-create": {"status": "candidate", "consent": None},
    "mentees-create": {"status": "applicant", "consent": None},
    **{f"{kind}-consent": {"consent": _CONSENT} for kind in ("mentors", "mentees")},
    **{f"{kind}-withdraw-consent": {"consent": None} for kind in ("mentors", "mentees")},
    "matching-runs-apply": {
        "status": "applied",
        "applied_at": "2026-11-03T19:05:00Z",
        "apply_report": {"created": [_uuid_text("match")], "skipped": []},
    },
    "webhooks-redeliver": {
        "id": _uuid_text("redelivery"),
        "status": "pending",
        "attempts": 0,
        "status_code": None,
        "duration_ms": None,
        "response_body": None,
        "next_attempt_at": "2026-11-03T19:10:00Z",
        "attempt_log": [],
        "redelivery_of": _uuid_text("webhook_delivery"),
        "delivered_at": None,
    },
    "testimonials-approve": {
        "testimonial_status": "published",
        "approved_by_id": _uuid_text("user"),
    },
}
# Answers whose schema is a free-form object: the whole example.
_WHOLE: dict[str, Any] = {
    "health-live": {"status": "ok"},
    "health-ready": {"status": "ok", "database": "ok"},
    "mentors-export": {**_EXPORT, "kind": "mentor"},
    "mentees-export": _EXPORT,
}

_TEXT_EXAMPLES: dict[str, str] = {
    "text/calendar": (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mentorat//FR\r\nBEGIN:VEVENT\r\n"
        "UID:session@mentorat\r\nDTSTART:20261210T190000Z\r\nDTEND:20261210T200000Z\r\n"
        "SUMMARY:Rencontre de mentorat\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ),
    "text/csv": (
        "hub_id,hub_slug,from,to,figure,value,suppressed\r\n"
        f"{_uuid_text('hub')},montreal,2026-01-01,2026-12-31,matches_active,12,false\r\n"
    ),
}


def _kind_of(model: str) -> str:
    """`MentorRead` → `mentor`: the thing a model's `id` names."""
    for suffix in ("Read", "Created", "Entry"):
        if model.endswith(suffix) and model != suffix:
            model = model[: -len(suffix)]
            break
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in model).lstrip("_")


_TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
}


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    """Whether a by-name value has the type the field's schema asks for."""
    kind = schema.get("type")
    if "enum" in schema:
        return value in schema["enum"]
    if isinstance(value, list) and kind == "array":
        items = schema.get("items", {})
        return all(_fits(v, items) for v in value) if "type" in items or "enum" in items else False
    check = _TYPE_CHECKS.get(kind) if isinstance(kind, str) else None
    return bool(check and check(value))


class _Builder:
    def __init__(self, components: dict[str, Any]) -> None:
        self.components = components

    def value(self, schema: dict[str, Any], name: str = "", model: str = "", depth: int = 0) -> Any:
        if depth > _DEPTH:
            return None
        if "$ref" in schema:
            ref = schema["$ref"].rsplit("/", 1)[-1]
            return self.model(ref, depth + 1)
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:
                branches = [b for b in schema[key] if b.get("type") != "null"]
                if len(branches) < len(schema[key]) and not self.named(name, model):
                    return None  # optional and not part of the story: null, as the API says
                return self.value(branches[0], name, model, depth) if branches else None
        if _BY_FIELD.get(f"{model}.{name}", ...) is None:
            return None  # the example story says null here
        if schema.get("examples"):
            return copy.deepcopy(schema["examples"][0])
        if "const" in schema:
            return schema["const"]
        for candidate in (_BY_FIELD.get(f"{model}.{name}"), _BY_NAME.get(name)):
            if candidate is not None and _fits(candidate, schema):
                return copy.deepcopy(candidate)
        if "enum" in schema:
            return schema["enum"][0]
        return self.by_type(schema, name, model, depth)

    @staticmethod
    def named(name: str, model: str) -> bool:
        """Whether the example story gives this field a value (else a nullable one is null)."""
        return f"{model}.{name}" in _BY_FIELD or name in _BY_NAME or name in _MOMENTS

    def by_type(self, schema: dict[str, Any], name: str, model: str, depth: int) -> Any:
        kind = schema.get("type")
        if kind == "string":
            fmt = schema.get("format")
            if fmt == "uuid":
                if name == "id":
                    return _uuid_text(_kind_of(model))
                return _uuid_text(name.removesuffix("_ids").removesuffix("_id"))
            if name in _MOMENTS and fmt in ("date", "date-time"):
                return _MOMENTS[name]
            if fmt in _BY_FORMAT:
                return _BY_FORMAT[fmt]
            return name.replace("_", " ") or "texte"
        if kind == "integer":
            return int(schema.get("minimum", 1))
        if kind == "number":
            return float(schema.get("minimum", 0.5))
        if kind == "boolean":
            return schema.get("default", True) if isinstance(schema.get("default"), bool) else True
        if kind == "array":
            item = self.value(schema.get("items", {}), name, model, depth + 1)
            count = max(int(schema.get("minItems", 1)), 1)
            return [copy.deepcopy(item) for _ in range(count)] if item is not None else []
        if kind == "object" or "properties" in schema:
            return self.properties(schema, model, depth)
        return None

    def properties(self, schema: dict[str, Any], model: str, depth: int) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for prop, definition in schema.get("properties", {}).items():
            body[prop] = self.value(definition, prop, model, depth + 1)
        extra = schema.get("additionalProperties")
        if not body and isinstance(extra, dict):
            body["key"] = self.value(extra, "", model, depth + 1)
        return body

    def model(self, name: str, depth: int = 0) -> Any:
        schema = self.components.get(name, {})
        return self.value({k: v for k, v in schema.items() if k != "title"}, "", name, depth)

    def request(self, schema: dict[str, Any], method: str) -> Any:
        value = self.value(schema)
        if method != "get" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None}  # sent: absent, not null
        ref = schema.get("$ref", "").rsplit("/", 1)[-1]
        if method == "patch" and isinstance(value, dict):
            fields = _PATCH_FIELDS.get(ref) or tuple(value)[:2]
            value = {k: value[k] for k in fields if k in value}
        return value


def _transition(action: str, status: str) -> AppError:
    return InvalidTransition(params={"action": action, "status": status})


def _declared(type_: str, **params: Any) -> AppError:
    """The problem a domain declares, by its type (the domains are above this module)."""
    return problem_class(type_)(params=params)


_TAKEN_EMAIL = AlreadyExists(params={"field": "email"})
_TAKEN_SLUG = AlreadyExists(params={"field": "slug"})


@functools.cache
def _conflicts() -> dict[str, list[tuple[str, AppError]]]:
    """The 409s of each operation, as the rules of its service raise them (the problem's `type`
    is what a front end switches on); built once the app has imported every domain."""
    return {
        **{
            f"{kind}-{operation}": [("anonymised", ProfileAnonymised())]
            for kind in ("mentors", "mentees")
            for operation in ("anonymise", "consent", "withdraw-consent")
        },
        **{f"{kind}-create": [("email", _TAKEN_EMAIL)] for kind in ("mentors", "mentees")},
        "mentors-update": [("email", _TAKEN_EMAIL), ("anonymised", ProfileAnonymised())],
        "mentees-update": [
            ("email", _TAKEN_EMAIL),
            ("status", StatusSetBySystem(params={"status": "matched"})),
        ],
        "matches-create": [
            ("capacity", _declared("capacity-reached")),
            ("waiting", _declared("mentee-not-waiting")),
            ("open", _declared("mentee-has-open-match")),
            ("conflict_of_interest", _declared("conflict-of-interest")),
        ],
        "matches-accept": [("transition", _transition("accept (mentor)", "active"))],
        "matches-decline": [("transition", _transition("decline", "active"))],
        "matches-cancel": [("transition", _transition("cancel", "completed"))],
        "matches-activate": [("transition", _transition("activate", "proposed"))],
        "matches-complete": [("transition", _transition("complete", "proposed"))],
        "matches-end": [("transition", _transition("end", "proposed"))],
        "matching-runs-apply": [("transition", _transition("apply", "applied"))],
        "sessions-create": [
            ("overlap", _declared("session-overlap")),
            ("match", _declared("match-not-open")),
        ],
        "sessions-update": [
            ("transition", _transition("reschedule", "held")),
            ("overlap", _declared("session-overlap")),
        ],
        "sessions-hold": [("transition", _transition("hold", "cancelled"))],
        "sessions-cancel": [("transition", _transition("cancel", "held"))],
        "sessions-no-show": [("transition", _transition("no_show", "cancelled"))],
        "sessions-put-feedback": [("transition", _transition("feedback", "scheduled"))],
        "users-create": [
            ("email", EmailUnavailable()),
            ("linked", _declared("profile-already-linked")),
        ],
        "users-update": [("email", EmailUnavailable())],
        "users-invite": [("invitation", _declared("invitation-not-possible"))],
        "hubs-create": [("slug", _TAKEN_SLUG)],
        "hubs-update": [("slug", _TAKEN_SLUG)],
        "evaluations-put-mine": [("transition", _transition("evaluate", "proposed"))],
        "testimonials-approve": [("consent", _declared("testimonial-not-consented"))],
    }


def _problems(
    status: int, path: str, method: str, operation: dict[str, Any], components: dict[str, Any]
) -> list[tuple[str, AppError]]:
    """The problems the service renders for this status on this operation, named."""
    operation_id = operation.get("operationId", "")
    if status == 400:
        # The token endpoint's only 400 is an unknown grant type (app.users.auth_router).
        if operation_id == "auth-token":
            return [("grant", _declared("unsupported-grant-type"))]
        return [("link", InvalidLink())]
    if status == 401:
        if operation_id == "auth-token":
            return [("credentials", InvalidCredentials()), ("client", InvalidClient())]
        if operation_id == "auth-refresh":
            return [("token", InvalidToken())]
        return [("missing", Unauthenticated()), ("expired", InvalidToken())]
    if status == 409:
        named = list(_conflicts().get(operation_id, []))
        if idempotent_post(path, method):
            named.append(("in_progress", KeyInUse()))
        return named or [("conflict", Conflict())]
    if status == 412:
        return [("stale", PreconditionFailed(params={"version": 4}))]
    if status == 413:
        return [("large", PayloadTooLarge(params={"limit": 1_048_576}))]
    if status == 422:
        if operation_id == "auth-token":  # a form: undeclared fields are ignored, not refused
            missing = ValidationFailed.field(["body", "username"], "Field required", "missing")
            return [("missing", missing)]
        return [("invalid", _invalid_input(operation, components))]
    if status == 429:
        if operation_id == "auth-token":
            return [("lockout", TooManyRequests(params={"seconds": 60}))]
        limit = "500/second" if operation.get("security") else "100/second"
        return [("limit", RateLimited(params={"limit": limit, "seconds": 1}))]
    plain = plain_error(status)  # 403, 404, 503
    if plain is None:
        plain = AppError()
        plain.status = status
    return [(plain.problem_type, plain)]


def _set_problem(media: dict[str, Any], named: list[tuple[str, AppError]]) -> None:
    if len(named) == 1:
        media["example"] = named[0][1].render("fr")
        return
    media["examples"] = {
        name: {"summary": error.problem_type, "value": error.render("fr")} for name, error in named
    }


def _invalid_input(operation: dict[str, Any], components: dict[str, Any]) -> ValidationFailed:
    """A 422 this operation answers: a missing body field, an unknown one, or a bad parameter."""
    content: dict[str, Any] = operation.get("requestBody", {}).get("content", {})
    first: dict[str, Any] = next(iter(content.values()), {})
    ref = first.get("schema", {}).get("$ref", "")
    body = components.get(ref.rsplit("/", 1)[-1], {})
    if body.get("required"):
        return ValidationFailed.field(["body", body["required"][0]], "Field required", "missing")
    if content:
        return ValidationFailed.field(
            ["body", "nickname"], "Extra inputs are not permitted", "extra_forbidden"
        )
    parameters = operation.get("parameters", [])
    if not parameters:
        return ValidationFailed()
    parameter = parameters[0]
    definition = parameter.get("schema", {})
    kind = {"integer": "int_parsing", "boolean": "bool_parsing"}.get(
        definition.get("type", ""), "string_too_long"
    )
    if definition.get("format") == "uuid":
        kind = "uuid_parsing"
    elif definition.get("format") == "date":
        kind = "date_parsing"
    elif "enum" in definition:
        kind = "literal_error"
    return ValidationFailed.field([parameter["in"], parameter["name"]], "Invalid value", kind)


def add_examples(schema: dict[str, Any]) -> None:
    """Give every request body, response body and problem of the document an example."""
    components = schema.get("components", {}).get("schemas", {})
    builder = _Builder(components)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {})
            for media in body.get("content", {}).values():
                _fill(media, builder, method)
            for status, response in operation.get("responses", {}).items():
                for content_type, media in response.get("content", {}).items():
                    if status.startswith(("4", "5")):
                        _set_problem(
                            media, _problems(int(status), path, method, operation, components)
                        )
                    elif content_type in _TEXT_EXAMPLES:
                        media.setdefault("schema", {"type": "string"})
                        media["example"] = _TEXT_EXAMPLES[content_type]
                    else:
                        _fill(media, builder, "get")
                        _answer(media, operation.get("operationId", ""))


def _answer(media: dict[str, Any], operation_id: str) -> None:
    """The operation's own answer: its differences from the resource's usual example."""
    if operation_id in _WHOLE:
        media["example"] = copy.deepcopy(_WHOLE[operation_id])
    elif operation_id in _RESPONSES and isinstance(media.get("example"), dict):
        media["example"] = {**media["example"], **copy.deepcopy(_RESPONSES[operation_id])}


def _fill(media: dict[str, Any], builder: _Builder, method: str) -> None:
    if "example" in media or "examples" in media or "schema" not in media:
        return
    ref = media["schema"].get("$ref", "").rsplit("/", 1)[-1]
    if ref in _NAMED:
        media["examples"] = {
            key: {"summary": summary, "value": value}
            for key, (summary, value) in _NAMED[ref].items()
        }
        return
    media["example"] = builder.request(media["schema"], method)
