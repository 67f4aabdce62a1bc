"""Base classes of API schemas, and the bounded date/time types every input uses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    model_validator,
)

from app.core.clock import PROGRAM_TZ
from app.core.errors import ValidationFailed

# Dates and times the program can mean: outside, a 422 (not an overflow deep in the code).
MIN_YEAR, MAX_YEAR = 1900, 3000


def _year_in_range(value: Any) -> Any:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_day(value: Any) -> Any:
    # pydantic would read 0 or "0" as 1970-01-01 (a Unix time): the contract says YYYY-MM-DD.
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


def _iso_moment(value: Any) -> Any:
    if isinstance(value, datetime) or (isinstance(value, str) and _ISO_MOMENT.match(value)):
        return value
    raise ValueError("expected a timestamp as YYYY-MM-DDTHH:MM:SS with its offset")


Moment = Annotated[AwareDatetime, BeforeValidator(_iso_moment), AfterValidator(_year_in_range)]
Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_year_in_range)]


def _day_or_moment(value: Any) -> Any:
    # "2026-01-15" is a day; anything longer must be a full timestamp with its offset.
    if isinstance(value, str) and len(value) == 10:
        return _DAY.validate_python(value)
    return _MOMENT.validate_python(value)


_DAY: TypeAdapter[date] = TypeAdapter(Day)
_MOMENT: TypeAdapter[datetime] = TypeAdapter(Moment)
# A date-range bound: a date (YYYY-MM-DD) or a timestamp with an offset.
DayOrMoment = Annotated[date | datetime, BeforeValidator(_day_or_moment)]


def start_of(value: date | datetime) -> datetime:
    """A `from` bound: a date means its first instant in Québec."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, tzinfo=PROGRAM_TZ)


def end_of(value: date | datetime) -> datetime:
    """A `to` bound (exclusive): a date means up to the end of that day in Québec."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value + timedelta(days=1), time.min, tzinfo=PROGRAM_TZ)


def date_range(
    from_: date | datetime | None, to: date | datetime | None
) -> tuple[datetime | None, datetime | None]:
    """The instants a `from`/`to` filter names; a 422 naming `from` when it comes after `to`."""
    since = start_of(from_) if from_ is not None else None
    until = end_of(to) if to is not None else None
    if since is not None and until is not None:
        # A day `to` ends where the next day begins; a timestamp `to` is that instant.
        inverted = since > until if isinstance(to, datetime) else since >= until
        if inverted:
            raise ValidationFailed.field(
                ["query", "from"], "Must not be after `to`", "range_inverted"
            )
    return since, until


def code_enum(codes: Iterable[str]) -> Any:
    """A code list as an enum in the OpenAPI document, so that a generated client knows it.

    The field's validator checks the codes itself, with a message that names the list of
    /reference to read; the enum only documents them.
    """
    return Field(json_schema_extra={"enum": list(codes)})


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class InputModel(BaseModel):
    """A request body: unknown fields are refused with 422 naming them."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul_characters(cls, data: Any) -> Any:
        # PostgreSQL cannot store U+0000 in text: refuse it here rather than fail later.
        if _has_nul(data):
            raise ValueError("text may not contain the NUL character")
        return data


class OutputModel(BaseModel):
    """A response body, built from table rows."""

    model_config = ConfigDict(from_attributes=True)
