"""Which scope an API client needs, route by route: one table, read by one dependency.

Every operation id of the API is named here, with one of:
- `PUBLIC`: no credentials needed (the token endpoints, the public calendar feed,
  reference lists, published testimonials, health);
- `NO_API_CLIENTS`: people only (their account, private notes, evaluations,
  administration); a partner system is answered `403`;
- `ANY_API_CLIENT`: any partner system of the hub, whatever its scopes (its own hub);
- `needs(scope, ...)`: a partner system holding one of these scopes.

A user is never stopped here: what a role may do is the services' rule. Within a route
it may use, a partner system reaches only its hub (`app.core.authz`, `404` outside), so
a missing scope is a `403` and never an empty list or a `404`. `app.core.guard` reads
this table on every request under /api/v1; a test checks that every route of the app
is named and that the services' own scope checks (`authz.READ_SCOPES`,
`authz.WRITE_SCOPES`) agree with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.core.actor import Actor
from app.core.errors import Forbidden, Text

MENTORS_READ = "mentors:read"
MENTORS_WRITE = "mentors:write"
MENTEES_READ = "mentees:read"
MENTEES_WRITE = "mentees:write"
MATCHES_READ = "matches:read"
MATCHES_WRITE = "matches:write"
SESSIONS_READ = "sessions:read"
REPORTS_READ = "reports:read"
WEBHOOKS_MANAGE = "webhooks:manage"
SCOPES = (
    MENTORS_READ,
    MENTORS_WRITE,
    MENTEES_READ,
    MENTEES_WRITE,
    MATCHES_READ,
    MATCHES_WRITE,
    SESSIONS_READ,
    REPORTS_READ,
    WEBHOOKS_MANAGE,
)


@dataclass(frozen=True)
class Rule:
    """Who may call one route: anyone, people only, or partner systems with a scope."""

    public: bool = False
    api_clients: bool = True
    #: One of these is enough; empty means any API client of the hub.
    any_of: frozenset[str] = frozenset()

    def allows(self, actor: Actor) -> bool:
        """Whether this caller may use the route at all (reach within it is authz's)."""
        if self.public or not actor.is_api_client:
            return True
        if not self.api_clients:
            return False
        return not self.any_of or not self.any_of.isdisjoint(actor.scopes)


PUBLIC = Rule(public=True)
NO_API_CLIENTS = Rule(api_clients=False)
ANY_API_CLIENT = Rule()


def needs(*scopes: str) -> Rule:
    """A route a partner system may call with one of these scopes."""
    return Rule(any_of=frozenset(scopes))


_MENTORS_READ = needs(MENTORS_READ, MENTORS_WRITE)
_MENTEES_READ = needs(MENTEES_READ, MENTEES_WRITE)
_MATCHES_READ = needs(MATCHES_READ, MATCHES_WRITE)

ROUTES: Mapping[str, Rule] = {
    # health and metrics live outside /api/v1
    "health-live": PUBLIC,
    "health-ready": PUBLIC,
    "health-metrics": PUBLIC,
    # auth: the token endpoints authenticate by what they are given
    "auth-token": PUBLIC,
    "auth-refresh": PUBLIC,
    "auth-logout": PUBLIC,
    "auth-accept-invitation": PUBLIC,
    "auth-password-reset": PUBLIC,
    "auth-password-reset-confirm": PUBLIC,
    "reference-get": PUBLIC,
    "calendar-feed": PUBLIC,
    "testimonials-list": PUBLIC,
    # mentors
    "mentors-list": _MENTORS_READ,
    "mentors-get": _MENTORS_READ,
    "mentors-create": needs(MENTORS_WRITE),
    "mentors-update": needs(MENTORS_WRITE),
    # Anonymising, consent and exports are the person's or the staff's, never a partner's.
    "mentors-anonymise": NO_API_CLIENTS,
    "mentors-consent": NO_API_CLIENTS,
    "mentors-withdraw-consent": NO_API_CLIENTS,
    "mentors-export": NO_API_CLIENTS,
    # mentees
    "mentees-list": _MENTEES_READ,
    "mentees-get": _MENTEES_READ,
    "mentees-create": needs(MENTEES_WRITE),
    "mentees-update": needs(MENTEES_WRITE),
    "mentees-anonymise": NO_API_CLIENTS,
    "mentees-consent": NO_API_CLIENTS,
    "mentees-withdraw-consent": NO_API_CLIENTS,
    "mentees-export": NO_API_CLIENTS,
    "mentees-suggestions": needs(MATCHES_READ),
    # matches
    "matches-list": _MATCHES_READ,
    "matches-get": _MATCHES_READ,
    "matches-history": _MATCHES_READ,
    "matches-create": needs(MATCHES_WRITE),
    "matches-accept": needs(MATCHES_WRITE),
    "matches-decline": needs(MATCHES_WRITE),
    "matches-cancel": needs(MATCHES_WRITE),
    "matches-activate": needs(MATCHES_WRITE),
    "matches-complete": needs(MATCHES_WRITE),
    "matches-end": needs(MATCHES_WRITE),
    "matching-runs-create": needs(MATCHES_WRITE),
    "matching-runs-get": needs(MATCHES_WRITE),
    "matching-runs-apply": needs(MATCHES_WRITE),
    # sessions: partners read the schedule; the pair and the staff write it
    "sessions-list": needs(SESSIONS_READ),
    "sessions-get": needs(SESSIONS_READ),
    "sessions-calendar": needs(SESSIONS_READ),
    "sessions-create": NO_API_CLIENTS,
    "sessions-update": NO_API_CLIENTS,
    "sessions-hold": NO_API_CLIENTS,
    "sessions-cancel": NO_API_CLIENTS,
    "sessions-no-show": NO_API_CLIENTS,
    "sessions-get-private-note": NO_API_CLIENTS,
    "sessions-put-private-note": NO_API_CLIENTS,
    "sessions-put-feedback": NO_API_CLIENTS,
    "users-create-calendar-feed": NO_API_CLIENTS,
    "users-delete-calendar-feed": NO_API_CLIENTS,
    # accounts and administration
    "users-me": NO_API_CLIENTS,
    "users-update-me": NO_API_CLIENTS,
    "users-list": NO_API_CLIENTS,
    "users-create": NO_API_CLIENTS,
    "users-get": NO_API_CLIENTS,
    "users-update": NO_API_CLIENTS,
    "hubs-list": ANY_API_CLIENT,
    "hubs-get": ANY_API_CLIENT,
    "hubs-create": NO_API_CLIENTS,
    "hubs-update": NO_API_CLIENTS,
    "hubs-create-api-client": NO_API_CLIENTS,
    "hubs-list-api-clients": NO_API_CLIENTS,
    "hubs-delete-api-client": NO_API_CLIENTS,
    "users-invite": NO_API_CLIENTS,
    "audit-list": NO_API_CLIENTS,
    "notifications-list": NO_API_CLIENTS,
    # evaluations: partners see them only through reports
    "evaluations-list": NO_API_CLIENTS,
    "evaluations-put-mine": NO_API_CLIENTS,
    "testimonials-pending": NO_API_CLIENTS,
    "testimonials-approve": NO_API_CLIENTS,
    "testimonials-unpublish": NO_API_CLIENTS,
    # reports and webhooks
    "reports-summary": needs(REPORTS_READ),
    "reports-timeseries": needs(REPORTS_READ),
    "webhooks-list": needs(WEBHOOKS_MANAGE),
    "webhooks-create": needs(WEBHOOKS_MANAGE),
    "webhooks-get": needs(WEBHOOKS_MANAGE),
    "webhooks-update": needs(WEBHOOKS_MANAGE),
    "webhooks-delete": needs(WEBHOOKS_MANAGE),
    "webhooks-deliveries": needs(WEBHOOKS_MANAGE),
    "webhooks-redeliver": needs(WEBHOOKS_MANAGE),
}


def rule_for(operation_id: str | None) -> Rule:
    """The rule of a route; a route missing from the table is closed to API clients."""
    if operation_id is None:
        return NO_API_CLIENTS
    return ROUTES.get(operation_id, NO_API_CLIENTS)


class InsufficientScope(Forbidden):
    """403 (problem type `forbidden`): the API client lacks a scope this route needs."""

    detail = Text(
        fr="Ce client d'API n'a pas la portée requise pour cette route : {scopes}.",
        en="This API client lacks the scope this route needs: {scopes}.",
    )


def check(actor: Actor, rule: Rule) -> None:
    """403 for a caller the route is closed to; naming the scopes a partner lacks."""
    if rule.allows(actor):
        return
    if not rule.api_clients:
        raise Forbidden()
    wanted = sorted(rule.any_of)
    shown = " | ".join(wanted)
    raise InsufficientScope(
        params={"scopes": shown},
        extra={"required_scopes": wanted},
        # RFC 6750: name the least scope that would do (sorted, the read scope comes first).
        headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{wanted[0]}"'},
    )
