"""The one dependency of every /api/v1 route: rate limits, then the route's scope.

Installed on the API router (app/api.py), it runs before the route's own dependencies:
1. a public route (`app.core.scopes.PUBLIC`) is counted per client address (the token
   endpoint against its stricter limit) and needs nothing else;
2. otherwise a bearer token, decoded once for the whole request, is counted against the
   limit of its API client or user, before anything touches the database, so a caller
   over its limit costs a dictionary lookup (or one Redis round trip);
3. the caller is loaded (and kept for the route's `CurrentActor`) and the scope table
   decides: a partner system without the scope is `403`.
A request without a token goes on to the route, whose own dependency answers `401`.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.security.utils import get_authorization_scheme_param

from app.core import scopes
from app.core.deps import DbSession, load_actor, verified_claims
from app.core.ratelimit import Bucket, get_limiter

# These run Argon2 for every password tried (or send an email): the stricter limit.
_TOKEN_ROUTES = frozenset(
    {"auth-token", "auth-accept-invitation", "auth-password-reset", "auth-password-reset-confirm"}
)


def client_address(request: Request) -> str:
    """The caller's address (behind a proxy, uvicorn's --proxy-headers puts the real one here)."""
    return request.client.host if request.client else "unknown"


def _bearer(request: Request) -> str | None:
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    return token if scheme.lower() == "bearer" and token else None


async def guard_route(request: Request, db: DbSession) -> None:
    """Limit the caller's rate and hold the route to the scopes its API client was given."""
    operation_id = getattr(request.scope.get("route"), "operation_id", None)
    rule = scopes.rule_for(operation_id)
    limiter = get_limiter()
    if rule.public:
        bucket: Bucket = "token" if operation_id in _TOKEN_ROUTES else "public"
        await limiter.hit(bucket, client_address(request))
        return
    token = _bearer(request)
    if token is None:
        return
    claims = verified_claims(request, token)
    await limiter.hit("api_client" if claims.kind == "api_client" else "user", claims.subject)
    actor = await load_actor(request, db, token)
    scopes.check(actor, rule)
