"""Every query on mentor and mentee profiles, scoped by the caller's reach."""

from __future__ import annotations

import functools
import re
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import pydantic_core
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import authz
from app.core.actor import Actor
from app.core.pagination import (
    PageParams,
    PageResult,
    SortSpec,
    after,
    cut,
    decode_cursor,
    ordering,
    paginate,
)
from app.core.types import UTCDateTime
from app.people.kinds import ProfileKind
from app.people.models import PersonBase
from app.people.validation import normalise_search

SORT_FIELDS = ("created_at", "updated_at", "last_name", "first_name", "email")
DEFAULT_SORT = "created_at"


def table_of(kind: ProfileKind) -> sa.Table:
    """The Core table of a profile kind."""
    table: sa.Table = kind.table.__table__  # type: ignore[attr-defined]
    return table


def _resource(kind: ProfileKind) -> authz.Resource:
    return "mentor" if kind.role == "mentor" else "mentee"


def reach(actor: Actor, kind: ProfileKind, *, bound: bool = False) -> sa.ColumnElement[bool]:
    """The profiles the caller may see, as a WHERE clause (every query starts here).

    With `bound`, the caller's ids are parameters (`scope_hub`, `scope_own`, whose values
    `authz.bound_values` gives), so that one statement serves every caller of a shape.
    """
    table = table_of(kind)

    def parameter(name: str, value: Any) -> Any:
        # Written into the SQL text at each execution (an id, never free text): see _shape.
        return sa.bindparam(name, type_=sa.Uuid(), literal_execute=True) if bound else value

    columns = authz.Columns(
        hub_id=table.c.hub_id, own=authz.own_by({kind.role: table.c.id}), profile_id=table.c.id
    )
    return authz.where(actor, _resource(kind), columns, parameter=parameter)


def visible_to(actor: Actor, kind: ProfileKind, *columns: sa.ColumnElement[Any]) -> sa.Select[Any]:
    """SELECT of the profiles within reach (all columns, or those named)."""
    table = table_of(kind)
    return (
        sa.select(*columns).where(reach(actor, kind))
        if columns
        else sa.select(table).where(reach(actor, kind))
    )


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


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_CODE = re.compile(r"[a-z0-9_]{1,40}")


def _contains_code(
    column: sa.ColumnElement[Any], code: str, dialect: sa.Dialect
) -> sa.ColumnElement[bool]:
    if isinstance(column.type.dialect_impl(dialect), JSONB):
        # PostgreSQL: containment, which the planner estimates and a GIN index serves.
        if _CODE.fullmatch(code):
            # A validated code goes into the SQL text: with a parameter, the driver's prepared
            # statement soon gets one generic plan that guesses 0.1% and sorts a whole hub.
            return column.op("@>", is_comparison=True)(sa.literal_column(f"'[\"{code}\"]'"))
        return sa.type_coerce(column, JSONB()).contains([code])
    # Elsewhere, lists of codes are JSON arrays of validated codes: the quoted code matches.
    return sa.cast(column, sa.Text).like(f'%"{_escape_like(code)}"%', escape="\\")


def _list_columns(kind: ProfileKind) -> tuple[list[sa.ColumnElement[Any]], tuple[str, ...]]:
    """What a list selects (the read schema's fields and the consent pair), and which are JSON.

    JSON lists come back as their text, parsed for the whole row in one call: the driver would
    otherwise parse each of them on its own (eight per mentor), which cost more than the query.
    """
    cached = _LIST_COLUMNS.get(kind.role)
    if cached is None:
        wanted = set(kind.read_schema.model_fields) | {"consent_version", "consent_given_at"}
        columns: list[sa.ColumnElement[Any]] = []
        json_names: list[str] = []
        for column in table_of(kind).c:
            if column.name not in wanted:
                continue
            if isinstance(column.type, sa.JSON):
                columns.append(sa.cast(column, sa.Text).label(column.name))
                json_names.append(column.name)
            else:
                columns.append(column)
        cached = _LIST_COLUMNS[kind.role] = (columns, tuple(json_names))
    return cached


# Derived from the table and the schema, both fixed at import: the same in every process.
_LIST_COLUMNS: dict[str, tuple[list[sa.ColumnElement[Any]], tuple[str, ...]]] = {}


def _row_reader(json_names: tuple[str, ...]) -> Callable[[sa.Row[Any]], dict[str, Any]]:
    def read(row: sa.Row[Any]) -> dict[str, Any]:
        item = dict(zip(row._fields, row, strict=True))
        texts = ",".join([item[name] for name in json_names])
        item.update(zip(json_names, pydantic_core.from_json(f"[{texts}]"), strict=True))
        return item

    return read


def _filter_plan(kind: ProfileKind, filters: dict[str, Any]) -> list[tuple[str, str, Any, bool]]:
    """The list filters in force as (name, column, value, inline), in the query's order.

    Plain values only, so that a request whose statement is already built pays no more:
    `inline` marks a validated code written into the SQL text (see _contains_code).
    """
    plan: list[tuple[str, str, Any, bool]] = []
    for name, value in filters.items():
        if value is None:
            continue
        if name in ("hub_id", "status"):
            plan.append((name, name, value, False))
        elif name == "updated_since":
            plan.append((name, "updated_at", value, False))
        elif name == "q":
            needle = normalise_search(value)
            if needle:
                plan.append((name, "search_text", f"%{_escape_like(needle)}%", False))
        else:
            column_name, op = kind.filters.get(name, ("languages", "contains"))
            plan.append((name, column_name, value, op != "eq"))
    return plan


def _filter_key(
    plan: list[tuple[str, str, Any, bool]],
) -> tuple[tuple[tuple[str, str | None], ...], dict[str, Any]]:
    """What of a plan changes the SQL text (the key), and the values bound to it."""
    key = tuple((name, str(value) if inline else None) for name, _, value, inline in plan)
    values = {f"f_{name}": value for name, _, value, inline in plan if not inline}
    return key, values


def _conditions(
    kind: ProfileKind,
    plan: list[tuple[str, str, Any, bool]],
    dialect: sa.Dialect,
    *,
    bound: bool,
) -> list[sa.ColumnElement[bool]]:
    table = table_of(kind)
    conditions: list[sa.ColumnElement[bool]] = []
    for name, column_name, value, inline in plan:
        column = table.c[column_name]
        if inline:
            conditions.append(_contains_code(column, value, dialect))
            continue
        operand = (
            sa.bindparam(
                f"f_{name}",
                type_=_BOUND_TYPES.get(name, sa.String()),
                literal_execute=name in _WRITTEN_IN,
            )
            if bound
            else value
        )
        if name == "updated_since":
            conditions.append(column >= operand)
        elif name == "q":
            conditions.append(column.like(operand, escape="\\"))
        else:
            conditions.append(column == operand)
    return conditions


def _filtered(
    actor: Actor, kind: ProfileKind, filters: dict[str, Any], dialect: sa.Dialect
) -> sa.Select[Any]:
    """The profiles within reach that pass the list filters (columns chosen by the caller)."""
    conditions = _conditions(kind, _filter_plan(kind, filters), dialect, bound=False)
    return visible_to(actor, kind, table_of(kind).c.id).where(*conditions)


def sort_spec(kind: ProfileKind) -> SortSpec:
    """The sort fields of a profile list, and its default."""
    table = table_of(kind)
    return SortSpec(
        columns={name: table.c[name] for name in SORT_FIELDS},
        default=DEFAULT_SORT,
        id_column=table.c.id,
    )


async def list_rows(
    db: AsyncSession,
    actor: Actor,
    kind: ProfileKind,
    params: PageParams,
    filters: dict[str, Any],
) -> PageResult[dict[str, Any]]:
    """A page of profiles within reach, filtered, as plain dicts (no ORM entities)."""
    # Only the columns the answer shows (no search_text), as plain rows: no ORM entities.
    columns, json_names = _list_columns(kind)
    stmt = _filtered(actor, kind, filters, db.get_bind().dialect).with_only_columns(*columns)
    return await paginate(
        db, stmt, sort_spec(kind), params, _row_reader(json_names), columns_only=True
    )


def documents_supported(db: AsyncSession) -> bool:
    """Whether the database writes each listed profile's JSON itself (PostgreSQL)."""
    return db.get_bind().dialect.name == "postgresql"


# Shapes of the list query on PostgreSQL, built once each: reusing the statement object
# spares SQLAlchemy its per-request construction and cache-key walk (a fifth of a request).
# Keyed by everything that changes the SQL text (see _shape for what is bound and what is
# written in at execution). Bounded, least recently used out.
_SHAPES: OrderedDict[tuple[Any, ...], sa.Select[Any]] = OrderedDict()
_MAX_SHAPES = 512
_BOUND_TYPES: dict[str, Any] = {"hub_id": sa.Uuid(), "updated_since": UTCDateTime()}
# Validated values (an id, a status code) written into the SQL text at each execution, as the
# caller's hub and profile ids are: see _shape.
_WRITTEN_IN = frozenset({"hub_id", "status"})


def _shape(
    kind: ProfileKind,
    actor: Actor,
    filters: dict[str, Any],
    fields: tuple[str, ...],
    sort: tuple[str, bool],
    has_cursor: bool,
    with_total: bool,
    limit: int,
    dialect: sa.Dialect,
) -> tuple[sa.Select[Any], dict[str, Any]]:
    """The page statement for this request's shape, and its parameter values.

    Its rows are (document, sort value, id); `with_total` puts the number of profiles that
    pass the filters first, in the same statement (one snapshot, one round trip): the count
    outer-joined with the page, so that an empty page still tells the total.

    SQLAlchemy compiles the statement once per shape; the page size, the caller's hub or
    profile id and the validated filter values (hub, status, codes) are written into its text
    at each execution (`literal_execute`), so that the driver's prepared statement for that
    text has no parameter, or only free text (`q`) and dates, and PostgreSQL plans it once for
    all its runs: planning on every run cost half a millisecond, a third of the query, and a
    bound hub or LIMIT made its generic plan look costlier than planning each time.
    """
    resource = _resource(kind)
    plan = _filter_plan(kind, filters)
    filter_key, values = _filter_key(plan)
    values.update(authz.bound_values(actor, resource))
    sort_name, descending = sort
    scope = authz.shape(actor, resource)
    key = (
        kind.role,
        fields,
        scope,
        filter_key,
        sort_name,
        descending,
        has_cursor,
        with_total,
        limit,
    )
    cached = _SHAPES.get(key)
    if cached is not None:
        _SHAPES.move_to_end(key)
        return cached, values
    table = table_of(kind)
    clause = reach(actor, kind, bound=True)
    conditions = _conditions(kind, plan, dialect, bound=True)
    sort_column = table.c[sort_name]
    base = sa.select(table.c.id).where(clause, *conditions)
    # asyncpg returns aware datetimes: the UTC type's per-row processing is not needed.
    plain = sa.DateTime(timezone=True) if isinstance(sort_column.type, UTCDateTime) else None
    page: sa.Select[Any] = base.with_only_columns(
        _document(table, fields, _code_lists(kind.read_schema)),
        (sa.type_coerce(sort_column, plain) if plain is not None else sort_column).label(sort_name),
        table.c.id,
    )
    if has_cursor:
        value = sa.bindparam("k_value", type_=sort_column.type)
        page = page.where(
            after(sort_column, table.c.id, descending, value, sa.bindparam("k_id", type_=sa.Uuid()))
        )
    page = page.order_by(*ordering(sort_column, table.c.id, descending))
    page = page.limit(sa.literal_column(str(int(limit) + 1), sa.Integer()))
    statement = _with_total(base, page, sort_name, descending) if with_total else page
    _SHAPES[key] = statement
    if len(_SHAPES) > _MAX_SHAPES:
        _SHAPES.popitem(last=False)
    return statement, values


def _with_total(
    base: sa.Select[Any], page: sa.Select[Any], sort_name: str, descending: bool
) -> sa.Select[Any]:
    """(total, document, sort value, id) rows: the count of `base` outer-joined with the page,
    so that one statement reads both and an empty page still tells the total."""
    counted = sa.select(sa.func.count().label("total")).select_from(base.subquery()).subquery()
    rows = page.subquery()
    joined: sa.Select[Any] = sa.select(
        counted.c.total, rows.c.document, rows.c[sort_name], rows.c.id
    ).select_from(counted.outerjoin(rows, sa.true()))
    return joined.order_by(*ordering(rows.c[sort_name], rows.c.id, descending))


async def list_documents(
    db: AsyncSession,
    actor: Actor,
    kind: ProfileKind,
    params: PageParams,
    filters: dict[str, Any],
    fields: tuple[str, ...],
) -> PageResult[str]:
    """A page of profiles as JSON documents written by PostgreSQL, in the schema's shape.

    Building a page's JSON in Python (rows, dicts, dates, encoding) cost more CPU than
    everything else in a list request; PostgreSQL writes it while it reads the rows.
    """
    sort_name, descending = sort_spec(kind).resolve(params.sort)
    page, values = _shape(
        kind,
        actor,
        filters,
        fields,
        (sort_name, descending),
        params.cursor is not None,
        params.include_total,
        params.limit,
        db.get_bind().dialect,
    )
    if params.cursor is not None:
        values["k_value"], values["k_id"] = decode_cursor(params.cursor, sort_name, descending)
    # One statement (the route reads_one_statement): the page, and its total when asked for.
    read: Sequence[Any] = (await (await db.connection()).execute(page, values)).all()
    total = None
    if params.include_total:
        total = int(read[0][0])
        read = [row[1:] for row in read if row[-1] is not None]
    rows, next_cursor = cut(read, params.limit, (sort_name, descending), lambda r: (r[1], r[2]))
    return PageResult(items=[str(row[0]) for row in rows], next_cursor=next_cursor, total=total)


_TS_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS'


def _constant(text: str) -> sa.ColumnElement[Any]:
    """A fixed text of the document's SQL, written into the statement rather than bound: the
    page then has only the caller's values as parameters (fewer to bind, a plan to reuse)."""
    return sa.literal_column("'" + text.replace("'", "''") + "'", sa.Text)


def _timestamp_json(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """A UTC timestamp as the API writes it: ISO 8601, Z, microseconds only when not zero."""
    utc = sa.func.timezone(_constant("UTC"), column)
    return sa.case(
        (
            sa.func.date_trunc(_constant("second"), column) == column,
            sa.func.to_char(utc, _constant(_TS_FORMAT + '"Z"')),
        ),
        else_=sa.func.to_char(utc, _constant(_TS_FORMAT + '.US"Z"')),
    )


def _compact_codes(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """A list of codes as the schema writes it: jsonb writes `["a", "b"]`, always with `", "`
    between elements, and a code (`[a-z0-9_]`, app/reference/catalog.py) holds neither a comma
    nor a space, so taking the space out is exact (and a seventh of the cost of the next)."""
    text = sa.func.replace(
        sa.cast(sa.cast(column, JSONB), sa.Text), _constant(", "), _constant(",")
    )
    return sa.cast(text, sa.JSON)


def _compact_list(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """A JSON list of free text as the schema writes it: PostgreSQL writes `["a", "b"]` with
    spaces; its elements gathered again by array_to_json come out `["a","b"]`."""
    elements = sa.func.jsonb_array_elements_text(sa.cast(column, JSONB))
    return sa.func.array_to_json(
        sa.func.array(sa.select(elements).correlate(column.table).scalar_subquery())
    )


def _compact_object(
    table: sa.Table, values: dict[str, sa.ColumnElement[Any]]
) -> sa.ColumnElement[Any]:
    """An object of these fields, in this order, written compact (`row_to_json` of a row whose
    columns are named after them; json_build_object would write `"a" : 1, "b"`)."""
    labelled = [value.label(name) for name, value in values.items()]
    row = sa.select(*labelled).correlate(table).subquery("d")
    document = sa.select(sa.func.row_to_json(sa.literal_column("d"))).select_from(row)
    return document.correlate(table).scalar_subquery()


@functools.cache
def _code_lists(schema: type[BaseModel]) -> frozenset[str]:
    """The schema's lists of codes (their items are an enum), as opposed to free text."""
    properties = schema.model_json_schema()["properties"]
    return frozenset(name for name, field in properties.items() if "enum" in field.get("items", {}))


@functools.cache
def _document(
    table: sa.Table, fields: tuple[str, ...], code_lists: frozenset[str]
) -> sa.ColumnElement[Any]:
    """The profile's JSON in the view's fields and the schema's order, as the schema writes it
    (compact, timestamps as the API writes them): tests/people/test_list_documents.py holds it
    to the schema's own bytes.

    Built once per table and view (it depends on nothing else), so that SQLAlchemy also
    keeps its compiled form and cache key instead of redoing them on every request.
    """
    values: dict[str, sa.ColumnElement[Any]] = {}
    for name in fields:
        if name == "consent":
            given = table.c.consent_given_at
            consent = {"version": table.c.consent_version, "given_at": _timestamp_json(given)}
            values[name] = sa.case(
                (
                    sa.and_(table.c.consent_version.is_not(None), given.is_not(None)),
                    _compact_object(table, consent),
                ),
                else_=sa.null(),
            )
            continue
        column = table.c[name]
        if isinstance(column.type, UTCDateTime):
            values[name] = _timestamp_json(column)
        elif isinstance(column.type, sa.JSON):
            values[name] = _compact_codes(column) if name in code_lists else _compact_list(column)
        else:
            values[name] = column
    return sa.cast(_compact_object(table, values), sa.Text).label("document")


async def email_taken(
    db: AsyncSession,
    kind: ProfileKind,
    email: str,
    hub_id: uuid.UUID,
    *,
    except_id: uuid.UUID | None = None,
) -> bool:
    """Whether another profile of this kind in this hub uses the email."""
    table = table_of(kind)
    stmt = sa.select(table.c.id).where(table.c.hub_id == hub_id, table.c.email == email.lower())
    if except_id is not None:
        stmt = stmt.where(table.c.id != except_id)
    return (await db.execute(stmt)).first() is not None


async def exists_in_hub(
    db: AsyncSession, kind: ProfileKind, profile_id: uuid.UUID, hub_id: uuid.UUID
) -> bool:
    """Whether a profile of this kind exists in this hub (scoped to the hub, not compared after)."""
    table = table_of(kind)
    stmt = sa.select(table.c.id).where(table.c.id == profile_id, table.c.hub_id == hub_id)
    return (await db.execute(stmt)).first() is not None


def anonymised_email(profile_id: uuid.UUID) -> str:
    """The unique placeholder email of an anonymised profile."""
    return f"anonyme-{profile_id.hex}@anonymise.invalid"
