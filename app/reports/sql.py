"""Portable SQL pieces the report queries need (the same figures on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement[float]):
    """(later - earlier) in fractional days, for two timestamp columns."""

    type = sa.Float()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    first, second = compiler.process(later, **kw), compiler.process(earlier, **kw)
    return f"(julianday({first}) - julianday({second}))"


@compiles(days_between, "postgresql")
def _days_between_pg(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"(EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - "
        f"{compiler.process(earlier, **kw)})) / 86400.0)"
    )


def in_period(column: Any, start: datetime | None, end: datetime | None) -> sa.ColumnElement[bool]:
    """start <= column < end, each bound optional."""
    conditions: list[sa.ColumnElement[bool]] = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column < end)
    return sa.and_(sa.true(), *conditions)


def bucket_of(column: Any, bounds: list[datetime]) -> sa.ColumnElement[int]:
    """The index i of the interval bounds[i] <= column < bounds[i+1] (month buckets).

    The bounds are instants computed in Python (months in Québec time), so no time-zone
    arithmetic happens in the database and both engines bucket identically.
    """
    whens = [(column < bound, index) for index, bound in enumerate(bounds[1:])]
    return sa.case(*whens, else_=-1)
