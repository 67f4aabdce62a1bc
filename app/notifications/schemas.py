"""Notification schemas: the outbox's log as admins read it (never a body)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import EmailStr

from app.core.schemas import InputModel, OutputModel, code_enum
from app.notifications.rendering import KINDS

NotificationStatus = Literal["queued", "sending", "sent", "failed", "skipped"]
# A message kind (the template it is rendered from): an enum in the document.
Template = Annotated[str, code_enum(KINDS)]


class NotificationRead(OutputModel):
    """One message: to whom, which template and language, its state and times."""

    id: uuid.UUID
    recipient_user_id: uuid.UUID | None
    recipient_email: str
    hub_id: uuid.UUID | None
    template: Template
    locale: Literal["fr", "en"]
    status: NotificationStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    sent_at: datetime | None
    created_at: datetime


class PasswordResetRequest(InputModel):
    """The email of the account whose password is forgotten."""

    email: EmailStr
