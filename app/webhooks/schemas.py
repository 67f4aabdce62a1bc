"""Webhook schemas: what staff and partners send, and what they read back."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StrictBool, field_validator

from app.core.schemas import InputModel, OutputModel, code_enum
from app.outbox.catalogue import WEBHOOK_EVENT_TYPES

DeliveryStatus = Literal["pending", "delivering", "succeeded", "failed"]
# An event type: an enum in the OpenAPI document; checked by _known_events (its message
# points to /reference webhook_event_types).
EventType = Annotated[str, code_enum(WEBHOOK_EVENT_TYPES)]


def _known_events(events: list[str]) -> list[str]:
    unknown = [kind for kind in events if kind not in WEBHOOK_EVENT_TYPES]
    if unknown:
        raise ValueError(
            f"unknown event types: {', '.join(unknown)}; see /reference webhook_event_types"
        )
    return list(dict.fromkeys(events))


class WebhookCreate(InputModel):
    """A new receiver of the hub's events (`hub_id`: admins only, who have no hub)."""

    url: str = Field(min_length=1, max_length=2000, examples=["https://crm.example.org/hooks"])
    events: list[EventType] = Field(min_length=1, max_length=len(WEBHOOK_EVENT_TYPES))
    description: str = Field(default="", max_length=500)
    is_active: StrictBool = True
    hub_id: uuid.UUID | None = None

    _events = field_validator("events")(_known_events)


class WebhookUpdate(InputModel):
    """Changes to a webhook; fields left out stay as they are."""

    url: str | None = Field(default=None, min_length=1, max_length=2000)
    events: list[EventType] | None = Field(
        default=None, min_length=1, max_length=len(WEBHOOK_EVENT_TYPES)
    )
    description: str | None = Field(default=None, max_length=500)
    is_active: StrictBool | None = None

    @field_validator("events")
    @classmethod
    def _events(cls, events: list[str] | None) -> list[str] | None:
        return None if events is None else _known_events(events)


class WebhookRead(OutputModel):
    """A webhook (its secret is never shown again)."""

    id: uuid.UUID
    hub_id: uuid.UUID
    url: str
    events: list[EventType]
    description: str
    is_active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookRead):
    """The answer to creating a webhook: the signing secret (`whsec_…`), shown once."""

    secret: str


class DeliveryAttempt(OutputModel):
    """One try: when, the receiver's status code, how long it took, what went wrong."""

    at: datetime
    status_code: int | None
    duration_ms: int | None
    error: str | None


class WebhookDeliveryRead(OutputModel):
    """One event to one webhook: its state, attempts, last outcome and next try."""

    id: uuid.UUID
    webhook_id: uuid.UUID
    event_id: uuid.UUID
    event_type: EventType
    status: DeliveryStatus
    attempts: int
    #: The last answer's status code and duration, and the class of the last failure.
    status_code: int | None
    duration_ms: int | None
    error: str | None
    #: The start of the receiver's last answer (at most 1 KiB).
    response_body: str | None
    next_attempt_at: datetime | None
    attempt_log: list[DeliveryAttempt]
    redelivery_of: uuid.UUID | None
    created_at: datetime
    delivered_at: datetime | None
