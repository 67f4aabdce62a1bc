"""The body of an event as every delivery sends it (Standard Webhooks style)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from app.core.schemas import OutputModel


class EventPayload(OutputModel):
    """A thin event: ids, codes and a link; never session content, notes or personal fields."""

    id: uuid.UUID
    type: str
    timestamp: datetime
    hub_id: uuid.UUID
    #: The resource ids (`match_id`, `mentor_id`, …) and codes (`status`, `fields`, …).
    data: dict[str, Any]
    #: `self`: where the resource the event is about can be read (by a token that may).
    links: dict[str, str]
