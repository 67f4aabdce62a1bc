"""The service's clock, in one place so that rules about time can be tested."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.core.types import utcnow

PROGRAM_TZ = ZoneInfo("America/Montreal")


def now() -> datetime:
    """The current instant (UTC)."""
    return utcnow()


def today() -> date:
    """Today's date in Québec."""
    return now().astimezone(PROGRAM_TZ).date()


def local(moment: datetime) -> datetime:
    """An instant shown in America/Montreal."""
    return moment.astimezone(PROGRAM_TZ)
