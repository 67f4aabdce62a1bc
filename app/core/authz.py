"""Who may reach what: DESIGN.md's "Who sees what" table, in one place.

Every repository starts its queries from `Scoped(model, resource, columns)` (or, for a
statement built once per shape, `where(actor, resource, columns)` itself): the table
below decides the reach (everything, the caller's hub, their own rows, the profiles
across one of their matches, or nothing), and the repository only says which of its
columns hold the hub and the owner. Services ask `can_manage` whether the caller
runs a resource (staff, or a partner system holding the write scope) instead of
writing that predicate again. What an API client may call at all, route by route,
is `app.core.scopes`; within a route, this module keeps it to its hub.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped

from app.core.actor import ADMIN, COORDINATOR, MENTEE, MENTOR, Actor

Reach = Literal["all", "hub", "own", "counterpart", "none"]
Resource = Literal[
    "hub",
    "user",
    "mentor",
    "mentee",
    "match",
    "matching_run",
    "suggestions",
    "session",
    "evaluation",
    "audit",
    "webhook",
]
API_CLIENT = "api_client"

# resource -> caller role -> reach. A role not named reaches nothing.
TABLE: Mapping[str, Mapping[str, Reach]] = {
    "hub": {ADMIN: "all", COORDINATOR: "hub", API_CLIENT: "hub"},
    "user": {ADMIN: "all", COORDINATOR: "hub", MENTOR: "own", MENTEE: "own"},
    "mentor": {
        ADMIN: "all",
        COORDINATOR: "hub",
        MENTOR: "own",
        MENTEE: "counterpart",
        API_CLIENT: "hub",
    },
    "mentee": {
        ADMIN: "all",
        COORDINATOR: "hub",
        MENTEE: "own",
        MENTOR: "counterpart",
        API_CLIENT: "hub",
    },
    "match": {ADMIN: "all", COORDINATOR: "hub", MENTOR: "own", MENTEE: "own", API_CLIENT: "hub"},
    "matching_run": {ADMIN: "all", COORDINATOR: "hub", API_CLIENT: "hub"},
    "suggestions": {ADMIN: "all", COORDINATOR: "hub", API_CLIENT: "hub"},
    "session": {ADMIN: "all", COORDINATOR: "hub", MENTOR: "own", MENTEE: "own", API_CLIENT: "hub"},
    # Partners see evaluations only through reports.
    "evaluation": {ADMIN: "all", COORDINATOR: "hub", MENTOR: "own", MENTEE: "own"},
    "audit": {ADMIN: "all"},
    # A hub's webhooks: its staff, or its partner systems holding `webhooks:manage`.
    "webhook": {ADMIN: "all", COORDINATOR: "hub", API_CLIENT: "hub"},
}

# Within its hub, an API client reaches a resource only with one of these scopes.
READ_SCOPES: Mapping[str, tuple[str, ...]] = {
    "hub": (),
    "mentor": ("mentors:read", "mentors:write"),
    "mentee": ("mentees:read", "mentees:write"),
    "match": ("matches:read", "matches:write"),
    "matching_run": ("matches:write",),
    "suggestions": ("matches:read",),
    "session": ("sessions:read",),
    "webhook": ("webhooks:manage",),
}
# What a partner system needs to change (create, update, run) a resource.
WRITE_SCOPES: Mapping[str, str] = {
    "mentor": "mentors:write",
    "mentee": "mentees:write",
    "match": "matches:write",
    "matching_run": "matches:write",
    "webhook": "webhooks:manage",
}

# The counterpart rule reads the match table, which lies above the profiles it guards:
# a lightweight description of the four columns it needs keeps core free of domains
# (tests check it against the Match model). A mentor sees a mentee (and the reverse)
# while a match between them is open, and after it was active; never after a declined
# or cancelled proposal.
COUNTERPART_STATUSES = ("proposed", "accepted", "active")
_match = sa.table(
    "match",
    sa.column("mentor_id", sa.Uuid()),
    sa.column("mentee_id", sa.Uuid()),
    sa.column("status", sa.String()),
    sa.column("activated_at", sa.DateTime(timezone=True)),
)


def _role(actor: Actor) -> str:
    return API_CLIENT if actor.is_api_client else actor.role


def reach(actor: Actor, resource: Resource) -> Reach:
    """How far the caller reaches this resource."""
    granted = TABLE[resource].get(_role(actor), "none")
    if actor.is_api_client and granted != "none":
        needed = READ_SCOPES.get(resource, ())
        if needed and not any(actor.has_scope(scope) for scope in needed):
            return "none"
    if granted in ("own", "counterpart") and not _own_id(actor, resource):
        return "none"
    return granted


def can_manage(actor: Actor, resource: Resource) -> bool:
    """Staff run a resource of their hub; a partner system only with the write scope."""
    if actor.is_api_client:
        scope = WRITE_SCOPES.get(resource)
        return scope is not None and actor.has_scope(scope)
    return actor.is_staff


def _own_id(actor: Actor, resource: Resource) -> Any:
    # An account owns itself; a mentor or mentee owns what their profile takes part in.
    return actor.id if resource == "user" else actor.profile_id


def own_by(columns: Mapping[str, ColumnLike]) -> OwnClause:
    """Ownership by one column per role: the row is the caller's when it holds their id."""

    def clause(role: str, own: Any) -> sa.ColumnElement[bool]:
        column = columns.get(role)
        return sa.false() if column is None else column == own

    return clause


OwnClause = Callable[[str, Any], sa.ColumnElement[bool]]
# A table column or a model attribute (what `sqlmodel.col` answers).
ColumnLike = sa.ColumnElement[Any] | Mapped[Any]
Parameter = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Columns:
    """Where a table keeps what reach is decided on."""

    hub_id: ColumnLike
    own: OwnClause = field(default=lambda _role, _own: sa.false())
    #: The profile id column, for the counterpart rule of mentor and mentee profiles.
    profile_id: ColumnLike | None = None


def _inline(_name: str, value: Any) -> Any:
    return value


def counterpart(role: str, own: Any, profile_id: ColumnLike) -> sa.ColumnElement[bool]:
    """The profile is across one of the caller's matches that lets them see it."""
    shown = sa.or_(_match.c.status.in_(COUNTERPART_STATUSES), _match.c.activated_at.is_not(None))
    if role == MENTOR:
        return sa.exists().where(_match.c.mentor_id == own, _match.c.mentee_id == profile_id, shown)
    return sa.exists().where(_match.c.mentee_id == own, _match.c.mentor_id == profile_id, shown)


def shape(actor: Actor, resource: Resource) -> str:
    """A key naming the form of the caller's WHERE clause (same key, same SQL text)."""
    granted = reach(actor, resource)
    return f"{granted}:{actor.role}" if granted in ("own", "counterpart") else granted


def bound_values(actor: Actor, resource: Resource) -> dict[str, Any]:
    """The caller's ids that `where` turns into parameters, without building the clause.

    For a statement built once per shape (see `shape`) and run with each caller's values.
    """
    granted = reach(actor, resource)
    if granted == "hub":
        return {"scope_hub": actor.hub_id}
    if granted in ("own", "counterpart"):
        return {"scope_own": _own_id(actor, resource)}
    return {}


def where(
    actor: Actor, resource: Resource, columns: Columns, *, parameter: Parameter = _inline
) -> sa.ColumnElement[bool]:
    """The rows of this resource the caller may reach, as a WHERE clause.

    `parameter(name, value)` lets a caller turn the caller's ids into bind parameters
    (`scope_hub`, `scope_own`), so that one compiled statement serves every caller of a
    shape; by default the values are inlined.
    """
    granted = reach(actor, resource)
    bound = {name: parameter(name, value) for name, value in bound_values(actor, resource).items()}
    if granted == "all":
        return sa.true()
    if granted == "hub":
        same_hub: sa.ColumnElement[bool] = columns.hub_id == bound["scope_hub"]
        return same_hub
    if granted == "own":
        return columns.own(actor.role, bound["scope_own"])
    if granted == "counterpart" and columns.profile_id is not None:
        return counterpart(actor.role, bound["scope_own"], columns.profile_id)
    return sa.false()


M = TypeVar("M")


@dataclass(frozen=True)
class Scoped(Generic[M]):
    """A table's rows within the caller's reach: the base every get, list and update of a
    repository starts from (`MATCHES = authz.Scoped(Match, "match", Columns(…))`).

    `visible_to(actor)` is the SELECT of the rows the caller may see, for lists and lookups to
    narrow; `get_visible` one of them by id, locked for the rest of the transaction with
    `for_update` (a change checks its rule on the row it will write).
    """

    model: type[M]
    resource: Resource
    columns: Columns

    def reach(self, actor: Actor) -> sa.ColumnElement[bool]:
        """The rows the caller may see, as a WHERE clause."""
        return where(actor, self.resource, self.columns)

    def visible_to(self, actor: Actor) -> sa.Select[M]:
        """SELECT of the rows within reach."""
        return sa.select(self.model).where(self.reach(actor))

    async def get_visible(
        self, db: AsyncSession, actor: Actor, row_id: uuid.UUID, *, for_update: bool = False
    ) -> M | None:
        """One row within reach by id (None: absent or out of reach, a 404 to the caller)."""
        stmt = self.visible_to(actor).where(self.model.id == row_id)  # type: ignore[attr-defined]
        if for_update:
            stmt = stmt.with_for_update()
        row: M | None = (await db.execute(stmt)).scalar_one_or_none()
        return row
