"""Sealed columns: a table's confidential texts stored under their owner's key, transparently.

`seal_columns(Model, ...)` makes the listed text columns hold envelope-sealed values in the
database (app.core.envelope) while the application keeps reading and writing plain text:
values are sealed on their way into an INSERT or UPDATE, with the row's id bound to them,
and opened when a row is loaded. A value whose key is gone loads as None (erased).

The hooks are SQLAlchemy's synchronous ORM events; under the asyncio extension they run
inside the session's greenlet, so a key that is not yet in memory is fetched from the key
store with `await_only` (the documented bridge for async work in such events), and a key
that is in memory costs no I/O at all.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapper, attributes
from sqlalchemy.util import await_only

from app.core import envelope

log = logging.getLogger(__name__)

#: Who a row's sealed values belong to, read from the row (and, if need be, the database).
OwnerOf = Callable[[sa.Connection, Any], uuid.UUID | None]

_PLAIN = "mentorat_sealed_plain"


@dataclass(frozen=True, slots=True)
class SealedColumns:
    """A table's sealed columns and how to find their owner."""

    table: str
    columns: tuple[str, ...]
    owner_of: OwnerOf


REGISTRY: dict[str, SealedColumns] = {}


def open_sync(place: envelope.Place, value: str) -> str | None:
    """A stored value's text (from inside an ORM event); None when erased or misplaced."""
    try:
        done, text = envelope.open_from_memory(place, value)
        return text if done else await_only(envelope.open_value(place, value))
    except envelope.CiphertextMismatch:
        # Copied from another row or column, or tampered with: never shown, never a 500.
        log.warning("sealed value rejected in %s.%s", place.table, place.column)
        return None


def seal_sync(owner_id: uuid.UUID, place: envelope.Place, text: str) -> str | None:
    """A text sealed under its owner's current key (from inside an ORM event)."""
    return await_only(envelope.seal(owner_id, place, text))


def _open_loaded(spec: SealedColumns, target: Any, only: Any = None) -> None:
    state = attributes.instance_state(target)
    for column in spec.columns:
        if only is not None and column not in only:
            continue  # not reloaded: already plain text
        value = state.dict.get(column)
        if isinstance(value, str):
            place = envelope.Place(spec.table, column, target.id)
            attributes.set_committed_value(target, column, open_sync(place, value))


def _seal_for_write(spec: SealedColumns, connection: sa.Connection, target: Any, new: bool) -> None:
    state = attributes.instance_state(target)
    plain: dict[str, str | None] = {}
    owner: uuid.UUID | None = None
    for column in spec.columns:
        if not new and not attributes.get_history(target, column).has_changes():
            continue
        value = getattr(target, column)
        if value is None:
            continue
        if owner is None:
            owner = spec.owner_of(connection, target)
        sealed = (
            None
            if owner is None
            else seal_sync(owner, envelope.Place(spec.table, column, target.id), value)
        )
        plain[column] = value
        setattr(target, column, sealed)
    if plain:
        state.info[_PLAIN] = plain


def _restore_plain(target: Any) -> None:
    # The flushed row holds sealed values; the object goes back to the text it was given.
    state = attributes.instance_state(target)
    for column, value in state.info.pop(_PLAIN, {}).items():
        attributes.set_committed_value(target, column, value)


def seal_columns(model: type, table: str, columns: tuple[str, ...], owner_of: OwnerOf) -> None:
    """Store these text columns of a model sealed under the key of the row's owner."""
    spec = SealedColumns(table=table, columns=columns, owner_of=owner_of)
    if table in REGISTRY:
        return
    REGISTRY[table] = spec

    @event.listens_for(model, "load")
    def _on_load(target: Any, _context: Any) -> None:
        _open_loaded(spec, target)

    @event.listens_for(model, "refresh")
    def _on_refresh(target: Any, _context: Any, attrs: Any) -> None:
        _open_loaded(spec, target, attrs)

    @event.listens_for(model, "before_insert")
    def _before_insert(_mapper: Mapper[Any], connection: sa.Connection, target: Any) -> None:
        _seal_for_write(spec, connection, target, new=True)

    @event.listens_for(model, "before_update")
    def _before_update(_mapper: Mapper[Any], connection: sa.Connection, target: Any) -> None:
        _seal_for_write(spec, connection, target, new=False)

    @event.listens_for(model, "after_insert")
    def _after_insert(_mapper: Mapper[Any], _connection: sa.Connection, target: Any) -> None:
        _restore_plain(target)

    @event.listens_for(model, "after_update")
    def _after_update(_mapper: Mapper[Any], _connection: sa.Connection, target: Any) -> None:
        _restore_plain(target)
