"""Emails about the account itself that no domain event announces: the password reset."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import crypto
from app.notifications.rendering import render
from app.notifications.service import link, queue
from app.users import email_links


async def send_password_reset(db: AsyncSession, email: str) -> None:
    """Queue a reset link for the account with this email; nothing says whether it exists."""
    found = await email_links.start_password_reset(db, email)
    if found is None:
        # The same rendering and encryption as for a real account, so that the answer's
        # time tells nothing (only the small insert differs).
        rendered = render("password_reset", "fr", {"name": "", "link": link("x"), "minutes": 60})
        crypto.encrypt(rendered.text + rendered.html)
        return
    user, token, ttl = found
    await queue(
        db,
        user,
        "password_reset",
        {
            "link": link(f"reset-password?token={token}"),
            "minutes": max(1, round(ttl.total_seconds() / 60)),
        },
        # One message per link: each request is a new link, the previous stops working.
        f"password_reset:{user.id}:{uuid.uuid4().hex}",
    )
