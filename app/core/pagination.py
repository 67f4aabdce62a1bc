"""Keyset pagination with opaque cursors, the same for every list."""

from __future__ import annotations

import base64
import functools
import hmac
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.errors import ValidationFailed

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _absent(value: object) -> bool:
    return value is None


class Page(BaseModel, Generic[T]):
    """A page of a list: `items`, `next_cursor`, and `total` when asked for."""

    # The answer always has `items` and `next_cursor` (null on the last page); `total` only
    # when asked for. Declared per field (not by a serializer), so the OpenAPI schema is a
    # typed page a client generator understands.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    items: list[T]
    next_cursor: str | None = None
    total: int | None = Field(default=None, exclude_if=_absent)


U = TypeVar("U")


@dataclass(frozen=True)
class PageResult(Generic[T]):
    """What a repository found for one page, before it becomes API schemas."""

    items: list[T]
    next_cursor: str | None
    total: int | None

    def to_page(self, convert: Callable[[T], U]) -> Page[U]:
        """The API page, each item converted."""
        return Page[U](
            items=[convert(item) for item in self.items],
            next_cursor=self.next_cursor,
            total=self.total,
        )


@dataclass(frozen=True)
class PageParams:
    """The query parameters every list takes."""

    limit: int
    cursor: str | None
    include_total: bool
    sort: str | None


@dataclass(frozen=True)
class SortSpec:
    """The sort fields a list allows, and its default."""

    columns: dict[str, Any]
    default: str
    id_column: Any

    def resolve(self, raw: str | None) -> tuple[str, bool]:
        """Field name and whether descending; 422 on an unknown field."""
        # An empty `sort=` is no field (422), not the default.
        text = self.default if raw is None else raw
        descending = text.startswith("-")
        name = text.lstrip("-")
        if name not in self.columns:
            raise ValidationFailed.field(
                ["query", "sort"],
                f"Unknown sort field; use one of: {', '.join(sorted(self.columns))}",
                "custom",
            )
        return name, descending


def _encode_value(value: Any) -> list[Any]:
    if value is None:
        return ["n", None]
    if isinstance(value, datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, uuid.UUID):
        return ["u", value.hex]
    if isinstance(value, bool | int | float | str):
        return ["v", value]
    return ["v", str(value)]


def _decode_value(tagged: Any) -> Any:
    tag, raw = tagged
    if tag == "n":
        return None
    if tag == "dt":
        return datetime.fromisoformat(raw)
    if tag == "d":
        return date.fromisoformat(raw)
    if tag == "u":
        return uuid.UUID(hex=raw)
    if tag == "v" and isinstance(raw, bool | int | float | str):
        return raw
    raise ValueError("bad cursor value")


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())


def _cursor_keys() -> tuple[bytes, ...]:
    """Signing keys, the first signs: MENTORAT_CURSOR_KEY, else one derived per data key."""
    settings = get_settings()
    secrets = settings.cursor_key_list
    if not secrets:
        # Derived from the data keys, so rotating the JWT secret leaves cursors valid; in
        # development without a data key, from the JWT secret as the data key itself is.
        secrets = settings.data_key_list or [settings.jwt_secret.get_secret_value()]
    return _derived_keys(tuple(secrets))


@functools.lru_cache(maxsize=16)
def _derived_keys(secrets: tuple[str, ...]) -> tuple[bytes, ...]:
    # Derived once per set of secrets (settings reloaded in tests bring their own set).
    return tuple(hmac.digest(s.encode(), b"mentorat-cursor-v1", "sha256") for s in secrets)


def _signature(payload: bytes, key: bytes) -> bytes:
    # Cursors are signed so that a forged one (wrong type, absurd value) never reaches SQL.
    return hmac.digest(key, payload, "sha256")[:16]


def encode_cursor(sort_name: str, descending: bool, value: Any, row_id: uuid.UUID) -> str:
    """An opaque, signed cursor pointing just after a row."""
    payload = json.dumps([sort_name, descending, _encode_value(value), row_id.hex]).encode()
    signature = _signature(payload, _cursor_keys()[0])
    return f"{_b64encode(payload)}.{_b64encode(signature)}"


def decode_cursor(cursor: str, sort_name: str, descending: bool) -> tuple[Any, uuid.UUID]:
    """The position a cursor points at; 422 when it is not one of ours or not for this sort."""
    try:
        body, _, signature = cursor.partition(".")
        payload = _b64decode(body)
        given = _b64decode(signature)
        if not any(hmac.compare_digest(given, _signature(payload, k)) for k in _cursor_keys()):
            raise ValueError("cursor not signed by this service")
        name, desc, tagged, row_hex = json.loads(payload)
        if name != sort_name or bool(desc) != descending:
            raise ValueError("cursor made for another sort")
        return _decode_value(tagged), uuid.UUID(hex=row_hex)
    except (ValueError, TypeError, KeyError, json.JSONDecodeError, UnicodeDecodeError):
        raise ValidationFailed.field(["query", "cursor"], "Invalid cursor", "custom") from None


def after(
    column: Any, id_column: Any, descending: bool, value: Any, last_id: Any
) -> sa.ColumnElement[bool]:
    """The rows after a cursor's position, in the list's order (values or bind parameters)."""
    # A row comparison, not `a > x OR (a = x AND id > y)`: PostgreSQL and SQLite turn it into a
    # range on the (…, sort column, id) index, so a deep page costs what the first does.
    position = sa.tuple_(column, id_column)
    return (
        position < sa.tuple_(value, last_id) if descending else position > sa.tuple_(value, last_id)
    )


def ordering(column: Any, id_column: Any, descending: bool) -> tuple[Any, Any]:
    """ORDER BY of a list: its sort column, ties broken by id, in the same direction."""
    if descending:
        return column.desc(), id_column.desc()
    return column.asc(), id_column.asc()


def cut(
    rows: Sequence[T],
    limit: int,
    sort: tuple[str, bool],
    position: Callable[[T], tuple[Any, uuid.UUID]],
) -> tuple[Sequence[T], str | None]:
    """A page from the `limit + 1` rows a query read: the first `limit`, and the cursor after
    the last of them when there was one more (`position` gives a row's sort value and id)."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    value, row_id = position(rows[-1])
    return rows, encode_cursor(sort[0], sort[1], value, row_id)


async def paginate(
    session: AsyncSession,
    stmt: sa.Select[Any],
    spec: SortSpec,
    params: PageParams,
    to_item: Callable[[Any], T],
    *,
    columns_only: bool = False,
) -> PageResult[T]:
    """Run a scoped, filtered select one keyset page at a time.

    `columns_only`: the select names columns, no ORM entity, so it runs on the connection
    and skips the ORM's per-statement work.
    """
    run = (await session.connection()).execute if columns_only else session.execute
    sort_name, descending = spec.resolve(params.sort)
    column = spec.columns[sort_name]
    id_column = spec.id_column
    total: int | None = None
    if params.include_total:
        count_stmt = sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
        total = int((await run(count_stmt)).scalar_one())
    paged = stmt
    if params.cursor:
        value, last_id = decode_cursor(params.cursor, sort_name, descending)
        paged = paged.where(
            after(
                column,
                id_column,
                descending,
                sa.literal(value, column.type),
                sa.literal(last_id, id_column.type),
            )
        )
    result = await run(
        paged.order_by(*ordering(column, id_column, descending)).limit(params.limit + 1)
    )
    rows, next_cursor = cut(
        result.all(),
        params.limit,
        (sort_name, descending),
        lambda last: (_row_value(last, sort_name), _row_value(last, "id")),
    )
    return PageResult(items=[to_item(row) for row in rows], next_cursor=next_cursor, total=total)


def _row_value(row: Any, name: str) -> Any:
    # A row is either a one-entity row or a row of labelled columns.
    mapping = getattr(row, "_mapping", None)
    if mapping is not None and name in mapping:
        return mapping[name]
    entity = row[0] if mapping is not None else row
    return getattr(entity, name)


def sort_values(fields: Iterable[str]) -> list[str]:
    """What `sort` accepts for these fields: each name, ascending or with `-` (descending)."""
    return [f"{sign}{name}" for name in sorted(fields) for sign in ("", "-")]


class ListQuery(BaseModel):
    """A list's query string: the page's four parameters, then the list's own filters.

    Every list declares one model, a subclass adding its filters and its `sort` (`sorted_by`),
    and takes it as `Annotated[Model, query_of(Model)]`: the query string validated in one
    call, documented from the model. A parameter the model does not name is ignored.
    """

    model_config = ConfigDict(extra="ignore")

    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Page size, 1–200.")
    cursor: str | None = Field(
        default=None, max_length=512, description="Opaque cursor from `next_cursor`."
    )
    include_total: bool = Field(default=False, description="Add `total` to the answer.")
    sort: str | None = Field(default=None, max_length=64)

    @property
    def page(self) -> PageParams:
        """The page asked for."""
        return PageParams(
            limit=self.limit, cursor=self.cursor, include_total=self.include_total, sort=self.sort
        )

    def filters(self) -> dict[str, Any]:
        """The list's own filters by field name (`from` is `from_`)."""
        return {name: getattr(self, name) for name in type(self).model_fields if name not in _PAGE}


_PAGE = frozenset(ListQuery.model_fields)


def sorted_by(spec: SortSpec) -> Any:
    """A list model's `sort` field, limited to `spec` (`sort: str | None = sorted_by(SORT)`):
    its length, its description naming the default, and the accepted values as an enum of the
    document (a generated client gets a union type; the check stays `SortSpec.resolve`'s)."""
    accepted: dict[str, Any] = {"enum": sort_values(spec.columns)}
    return Field(
        default=None,
        max_length=64,
        description=f"Sort field, `-` prefix for descending (default `{spec.default}`).",
        json_schema_extra=accepted,
    )


Q = TypeVar("Q", bound=ListQuery)


def query_of(model: type[Q]) -> Any:
    """The dependency giving a list its query model: `Annotated[Model, query_of(Model)]`.

    The query string is validated in one `model_validate` call (FastAPI's own `Query()` model
    looks each field up on its own, about ten times the cost on the profile lists); an invalid
    value is FastAPI's 422 naming `["query", parameter]`. `app.core.openapi` documents the
    model's fields as the operation's query parameters. Declared after the route's other
    dependencies, it answers after them, as FastAPI's own query validation does.
    """

    async def list_query(request: Request) -> Q:
        try:
            return model.model_validate(dict(request.query_params))
        except ValidationError as exc:
            raise RequestValidationError(
                [{**error, "loc": ("query", *error["loc"])} for error in exc.errors()]
            ) from None

    list_query.query_model = model  # type: ignore[attr-defined]
    return Depends(list_query)
