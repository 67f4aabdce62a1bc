"""Queueing messages: render in the recipient's language, write one outbox row, once.

A message is queued in the transaction of the change that causes it, so an email
exists only if that change committed; the worker sends it later (`jobs.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import clock
from app.core.actor import Actor
from app.core.config import get_settings
from app.core.errors import Forbidden
from app.core.pagination import PageParams, PageResult
from app.notifications import repository as repo
from app.notifications.rendering import lang, render
from app.users.models import User


def link(path: str) -> str:
    """An address in the front end (or, without one configured, the API's public address)."""
    settings = get_settings()
    base = (settings.frontend_base_url or settings.public_base_url).rstrip("/")
    return f"{base}/{path.lstrip('/')}"


def wants(user: User, preference: str | None) -> bool:
    """Whether the person accepts this kind of optional message (always, if not optional)."""
    if preference is None:
        return True
    return bool((user.notification_prefs or {}).get(preference, True))


async def queue(
    db: AsyncSession,
    user: User,
    template: str,
    context: Mapping[str, Any],
    dedup_key: str,
    *,
    preference: str | None = None,
    attachment: tuple[str, str] | None = None,
    expires_at: datetime | None = None,
) -> bool:
    """Render and queue one message to an account; False when turned off or already queued."""
    if not user.is_active or not wants(user, preference):
        return False
    locale = lang(user.locale)
    values = {
        "name": user.full_name,
        "optional": preference is not None,
        "attachment": attachment is not None,
        **context,
    }
    email = render(template, locale, values)
    return await repo.add_once(
        db,
        {
            "recipient_user_id": user.id,
            "recipient_email": user.email,
            "hub_id": user.hub_id,
            "template": template,
            "locale": locale,
            "dedup_key": dedup_key[:200],
            "subject": email.subject[:300],
            "body_text": email.text,
            "body_html": email.html,
            "attachment_name": attachment[0] if attachment else None,
            "attachment": attachment[1] if attachment else None,
            "expires_at": expires_at,
            "next_attempt_at": clock.now(),
        },
    )


async def list_log(
    db: AsyncSession,
    actor: Actor,
    params: PageParams,
    *,
    status: str | None,
    template: str | None,
    recipient_user_id: uuid.UUID | None,
) -> PageResult[Any]:
    """The outbox's log for admins: who, which message, its state; never the body."""
    if not actor.is_admin:
        raise Forbidden()
    return await repo.list_log(
        db,
        actor,
        params,
        status=status,
        template=template,
        recipient_user_id=recipient_user_id,
    )
