"""Every query on mentor and mentee profiles, scoped by the caller's reach."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.actor import MENTEE, MENTOR, Actor
from app.core.pagination import PageParams, PageResult, SortSpec, paginate
from app.matches.repository import counterpart_exists
from app.people.kinds import ProfileKind
from app.people.models import PersonBase
from app.people.validation import normalise_search

SORT_FIELDS = ("created_at", "updated_at", "last_name", "first_name", "email")


def table_of(kind: ProfileKind) -> sa.Table:
    """The Core table of a profile kind."""
    table: sa.Table = kind.table.__table__  # type: ignore[attr-defined]
    return table


def reach(actor: Actor, kind: ProfileKind) -> sa.ColumnElement[bool]:
    """The profiles the caller may see, as a WHERE clause (every query starts here)."""
    table = table_of(kind)
    if actor.is_admin:
        return sa.true()
    if actor.is_coordinator:
        return table.c.hub_id == actor.hub_id
    if actor.is_api_client:
        allowed = actor.has_scope(kind.read_scope) or actor.has_scope(kind.write_scope)
        return table.c.hub_id == actor.hub_id if allowed else sa.false()
    if actor.role == kind.role:
        return table.c.id == actor.profile_id if actor.profile_id else sa.false()
    return counterpart_clause(actor, kind)


def counterpart_clause(actor: Actor, kind: ProfileKind) -> sa.ColumnElement[bool]:
    """The other side of the caller's matches, while those matches let them see it."""
    if not actor.profile_id or actor.role not in (MENTOR, MENTEE):
        return sa.false()
    return counterpart_exists(table_of(kind).c.id, actor)


def visible_to(actor: Actor, kind: ProfileKind) -> sa.Select[Any]:
    """SELECT of the profile columns within reach."""
    table = table_of(kind)
    return sa.select(table).where(reach(actor, kind))


async def get_row(
    db: AsyncSession, actor: Actor, kind: ProfileKind, profile_id: uuid.UUID
) -> RowMapping | None:
    """One profile within reach, as columns."""
    table = table_of(kind)
    stmt = visible_to(actor, kind).where(table.c.id == profile_id)
    row: RowMapping | None = (await db.execute(stmt)).mappings().one_or_none()
    return row


async def get_for_update(
    db: AsyncSession, actor: Actor, kind: ProfileKind, profile_id: uuid.UUID
) -> PersonBase | None:
    """One profile within reach, as an entity locked for the rest of the transaction."""
    model = kind.table
    stmt = (
        sa.select(model)
        .where(reach(actor, kind), model.id == profile_id)  # type: ignore[arg-type]
        .with_for_update()
    )
    return (await db.execute(stmt)).scalar_one_or_none()


async def get_entity(
    db: AsyncSession, kind: ProfileKind, profile_id: uuid.UUID
) -> PersonBase | None:
    """A profile by id, whoever asks (internal checks)."""
    return await db.get(kind.table, profile_id)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains_code(column: sa.ColumnElement[Any], code: str) -> sa.ColumnElement[bool]:
    # Lists of codes are JSON arrays of validated codes: the quoted code matches exactly.
    return sa.cast(column, sa.Text).like(f'%"{_escape_like(code)}"%', escape="\\")


async def list_rows(
    db: AsyncSession,
    actor: Actor,
    kind: ProfileKind,
    params: PageParams,
    filters: dict[str, Any],
) -> PageResult[RowMapping]:
    """A page of profiles within reach, filtered."""
    table = table_of(kind)
    stmt = visible_to(actor, kind)
    for name, value in filters.items():
        if value is None:
            continue
        if name == "hub_id":
            stmt = stmt.where(table.c.hub_id == value)
        elif name == "status":
            stmt = stmt.where(table.c.status == value)
        elif name == "language":
            stmt = stmt.where(_contains_code(table.c.languages, value))
        elif name == "updated_since":
            stmt = stmt.where(table.c.updated_at >= value)
        elif name == "q":
            needle = normalise_search(value)
            if needle:
                stmt = stmt.where(
                    table.c.search_text.like(f"%{_escape_like(needle)}%", escape="\\")
                )
        elif name in kind.filters:
            column_name, op = kind.filters[name]
            column = table.c[column_name]
            stmt = stmt.where(column == value if op == "eq" else _contains_code(column, value))
    spec = SortSpec(
        columns={name: table.c[name] for name in SORT_FIELDS},
        default="created_at",
        id_column=table.c.id,
    )
    return await paginate(db, stmt, spec, params, lambda row: row._mapping)


async def email_taken(
    db: AsyncSession, kind: ProfileKind, email: str, *, except_id: uuid.UUID | None = None
) -> bool:
    """Whether another profile of this kind uses the email."""
    table = table_of(kind)
    stmt = sa.select(table.c.id).where(table.c.email == email.lower())
    if except_id is not None:
        stmt = stmt.where(table.c.id != except_id)
    return (await db.execute(stmt)).first() is not None


async def profile_hub(
    db: AsyncSession, kind: ProfileKind, profile_id: uuid.UUID
) -> uuid.UUID | None:
    """The hub of a profile, or None when there is no such profile."""
    table = table_of(kind)
    stmt = sa.select(table.c.hub_id).where(table.c.id == profile_id)
    value = (await db.execute(stmt)).scalar_one_or_none()
    return value if isinstance(value, uuid.UUID) else None


def anonymised_email(profile_id: uuid.UUID) -> str:
    """The unique placeholder email of an anonymised profile."""
    return f"anonyme-{profile_id.hex}@anonymise.invalid"
