"""Invitations and password resets: single-use, expiring links sent by email.

The links are stored as digests (`user_token`); this module issues and consumes them.
Sending is the notifications domain's job: it reacts to `user.invited` and asks
`issue` for the token to put in the email, in the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core import clock, events
from app.core.actor import ADMIN, MENTEE, MENTOR, Actor
from app.core.config import get_settings
from app.core.errors import Conflict, Forbidden, InvalidLink, Text
from app.core.models import touch
from app.core.security import digest, hash_password, new_secret
from app.users import repository as repo
from app.users import token_repository as tokens
from app.users.models import INVITATION, PASSWORD_RESET, User, UserToken


class InvitationNotPossible(Conflict):
    """409: admins and deactivated accounts are not invited."""

    type = "invitation-not-possible"
    title = Text(fr="Invitation impossible", en="Invitation not possible")
    detail = Text(
        fr="Seul un compte actif de mentor, de mentoré ou de coordination peut être invité.",
        en="Only an active mentor, mentee or coordinator account can be invited.",
    )


def _ttl(kind: str) -> timedelta:
    settings = get_settings()
    seconds = (
        settings.invitation_ttl_seconds
        if kind == INVITATION
        else settings.password_reset_ttl_seconds
    )
    return timedelta(seconds=seconds)


async def issue(db: AsyncSession, user_id: uuid.UUID, kind: str) -> tuple[str, timedelta]:
    """A new link token for the account (the previous unused ones stop working)."""
    await tokens.void_unused(db, user_id, kind)
    token = new_secret(32)
    ttl = _ttl(kind)
    db.add(
        UserToken(
            user_id=user_id,
            kind=kind,
            token_digest=digest(token),
            expires_at=clock.now() + ttl,
        )
    )
    await db.flush()
    return token, ttl


def invitable(user: User) -> bool:
    """Whether an account can be sent an invitation."""
    return user.is_active and user.role != ADMIN and user.hub_id is not None


async def announce_invitation(db: AsyncSession, actor: Actor | None, user: User) -> None:
    """Tell the notifications domain that this account is to receive an invitation."""
    assert user.hub_id is not None
    await events.publish(
        db,
        events.DomainEvent(
            type="user.invited",
            hub_id=user.hub_id,
            subject={"user_id": user.id},
            actor=actor.audit_ref() if actor else ("system", None),
            data={"role": user.role},
        ),
    )


async def user_to_invite(db: AsyncSession, actor: Actor, user_id: uuid.UUID) -> User | None:
    """The account staff may invite again (the loader of POST /users/{id}/invitation)."""
    if not actor.is_staff:
        raise Forbidden()
    return await repo.get_visible(db, actor, user_id)


async def reinvite(db: AsyncSession, actor: Actor, user: User) -> User:
    """Send a new invitation to an account within reach; the previous link stops working."""
    if actor.is_coordinator and user.role not in (MENTOR, MENTEE):
        raise Forbidden()
    if not invitable(user):
        raise InvitationNotPossible()
    await tokens.void_unused(db, user.id, INVITATION)
    await announce_invitation(db, actor, user)
    record(db, actor, "invite", "user", user.id, user.hub_id, {})
    return user


async def start_password_reset(db: AsyncSession, email: str) -> tuple[User, str, timedelta] | None:
    """A reset link for the active account with this email, or None (nothing is revealed)."""
    user = await repo.get_by_email(db, email.strip())
    if user is None or not user.is_active:
        return None
    token, ttl = await issue(db, user.id, PASSWORD_RESET)
    return user, token, ttl


async def _consume(db: AsyncSession, token: str, kind: str) -> User:
    """The account behind a valid link, which is used up; else 400 invalid-link."""
    now = clock.now()
    stored = await tokens.get_by_digest(db, digest(token), kind)
    if stored is None or stored.used_at is not None or stored.expires_at <= now:
        raise InvalidLink()
    user = await repo.get_active(db, stored.user_id)
    if user is None or not await tokens.claim(db, stored.id, now):
        raise InvalidLink()
    return user


async def accept_invitation(db: AsyncSession, token: str, password: str) -> None:
    """Choose a password with an invitation link; the link works once."""
    user = await _consume(db, token, INVITATION)
    user.password_hash = await hash_password(password)
    now = clock.now()
    touch(user, now)
    await tokens.clear_lockout(db, user.email)
    await db.flush()
    record(db, None, "accept-invitation", "user", user.id, user.hub_id, {})


async def confirm_password_reset(db: AsyncSession, token: str, password: str) -> None:
    """Set a new password with a reset link: every login ends, the lockout is lifted."""
    user = await _consume(db, token, PASSWORD_RESET)
    now = clock.now()
    user.password_hash = await hash_password(password)
    touch(user, now)
    await repo.revoke_user_sessions(db, user.id, now)
    await tokens.void_unused(db, user.id, PASSWORD_RESET)
    await tokens.clear_lockout(db, user.email)
    await db.flush()
    record(db, None, "password-reset", "user", user.id, user.hub_id, {})
