"""Rules about accounts: who may create and change which account."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.actor import ADMIN, MENTEE, MENTOR, Actor
from app.core.db import open_session
from app.core.errors import (
    AlreadyExists,
    EmailUnavailable,
    Forbidden,
    ValidationFailed,
)
from app.core.http import check_if_match
from app.core.lookup import found
from app.core.models import touch
from app.core.pagination import PageParams, PageResult
from app.core.security import hash_password, verify_password
from app.core.types import utcnow
from app.hubs import repository as hubs_repo
from app.users import email_links, profiles
from app.users import repository as repo
from app.users.models import User
from app.users.schemas import UserCreate, UserSelfUpdate, UserUpdate


async def list_users(
    db: AsyncSession, actor: Actor, params: PageParams, **filters: Any
) -> PageResult[User]:
    """Accounts within the caller's reach."""
    if not actor.is_staff:
        raise Forbidden()
    return await repo.list_visible(db, actor, params, **filters)


async def get_me(db: AsyncSession, actor: Actor) -> User:
    """The caller's own account."""
    return found(await repo.get_visible(db, actor, actor.id))


async def user_to_update(db: AsyncSession, actor: Actor, user_id: uuid.UUID) -> User | None:
    """The account staff may change (the loader of PATCH /users/{id}); none for others."""
    if not actor.is_staff:
        # People change their own account through PATCH /users/me.
        if actor.kind == "user" and user_id == actor.id:
            raise Forbidden()
        return None
    return await repo.get_visible(db, actor, user_id)


async def create_user(db: AsyncSession, actor: Actor, data: UserCreate) -> User:
    """Create an account; coordinators create mentor and mentee accounts of their own hub."""
    if not actor.is_staff:
        raise Forbidden()
    hub_id = data.hub_id
    if actor.is_coordinator:
        if data.role not in (MENTOR, MENTEE):
            raise ValidationFailed.forbidden_field(["body", "role"])
        if hub_id is None:
            hub_id = actor.hub_id
    if data.role == ADMIN:
        if hub_id is not None:
            raise ValidationFailed.field(["body", "hub_id"], "Admins belong to no hub", "custom")
    else:
        if hub_id is None:
            raise ValidationFailed.field(["body", "hub_id"], "Field required", "missing")
        if await hubs_repo.get_visible(db, actor, hub_id) is None:
            raise ValidationFailed.unreachable(["body", "hub_id"])
    await profiles.check_link(db, role=data.role, hub_id=hub_id, profile_id=data.profile_id)
    await _check_email_free(db, actor, data.email, hub_id, {"role": data.role})
    user = User(
        email=data.email.lower(),
        full_name=data.full_name,
        role=data.role,
        hub_id=hub_id,
        profile_id=data.profile_id,
        locale=data.locale,
        is_active=data.is_active,
        password_hash=await hash_password(data.password) if data.password else None,
    )
    db.add(user)
    try:
        await db.flush()
    except IntegrityError:
        # A concurrent request took the email or linked the profile first.
        raise AlreadyExists(params={"field": "email or profile_id"}) from None
    record(db, actor, "create", "user", user.id, user.hub_id, {"role": user.role})
    if data.password is None and email_links.invitable(user):
        # No password to pass on by hand: the person chooses one from an emailed link.
        await email_links.announce_invitation(db, actor, user)
    return user


async def _check_email_free(
    db: AsyncSession,
    actor: Actor,
    email: str,
    hub_id: uuid.UUID | None,
    details: dict[str, Any],
) -> None:
    """Account emails are unique across the service; a taken one is refused, and the try audited."""
    existing = await repo.get_by_email(db, email)
    if existing is None:
        return
    # The same answer whether the account is in the caller's hub or another: a person's
    # participation in another hub's program is personal information (Law 25).
    error = EmailUnavailable()
    refused = details | {"reason": error.type, "existing_user_id": str(existing.id)}

    async def audit_refusal() -> None:
        # The request's transaction rolls back with the error: the audit is written after it.
        audit_db = await open_session(write=True)
        try:
            record(audit_db, actor, "email_refused", "user", None, hub_id, refused)
            await audit_db.commit()
        finally:
            await audit_db.close()

    error.after_rollback.append(audit_refusal)
    raise error


SELF_PROTECTED = ("email", "password", "is_active")


async def update_user(
    db: AsyncSession,
    actor: Actor,
    user: User,
    data: UserUpdate,
    if_match: str | None,
) -> User:
    """Staff change an account within reach; coordinators only mentor and mentee accounts."""
    if actor.is_coordinator and user.role not in (MENTOR, MENTEE) and user.id != actor.id:
        raise Forbidden()
    check_if_match(if_match, user.version)
    changes = data.model_dump(exclude_unset=True)
    if user.id == actor.id:
        # One's own login is changed through PATCH /users/me (the password with the current
        # one); a stolen access token must not be enough to take or lock the account.
        for field in SELF_PROTECTED:
            if field in changes:
                raise ValidationFailed.forbidden_field(["body", field])
    if "email" in changes and changes["email"] is not None:
        email = changes["email"].lower()
        if email != user.email:
            await _check_email_free(db, actor, email, user.hub_id, {"user_id": str(user.id)})
        user.email = email
    for field in ("full_name", "locale", "is_active"):
        if changes.get(field) is not None:
            setattr(user, field, changes[field])
    now = utcnow()
    if changes.get("password"):
        user.password_hash = await hash_password(changes["password"])
        await repo.revoke_user_sessions(db, user.id, now)
    if changes.get("is_active") is False:
        await repo.revoke_user_sessions(db, user.id, now)
    touch(user, now)
    await db.flush()
    record(db, actor, "update", "user", user.id, user.hub_id, {"fields": sorted(changes)})
    return user


async def update_me(
    db: AsyncSession, actor: Actor, data: UserSelfUpdate, if_match: str | None
) -> User:
    """A person changes their own name, language or password (with the current one)."""
    user = await get_me(db, actor)
    check_if_match(if_match, user.version)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("full_name") is not None:
        user.full_name = changes["full_name"]
    if changes.get("locale") is not None:
        user.locale = changes["locale"]
    if changes.get("notifications"):
        prefs = dict(user.notification_prefs or {})
        prefs.update({k: v for k, v in changes["notifications"].items() if v is not None})
        user.notification_prefs = prefs
    now = utcnow()
    if changes.get("password"):
        valid, _ = await verify_password(changes.get("current_password") or "", user.password_hash)
        if not valid:
            raise ValidationFailed.field(
                ["body", "current_password"], "Current password is incorrect", "custom"
            )
        user.password_hash = await hash_password(changes["password"])
        # Other logins end; this one goes on.
        await repo.revoke_user_sessions_except(db, user.id, actor.session_id, now)
    elif "current_password" in changes:
        raise ValidationFailed.field(
            ["body", "current_password"], "Only needed to change the password", "custom"
        )
    touch(user, now)
    await db.flush()
    record(db, actor, "update", "user", user.id, user.hub_id, {"fields": sorted(changes)})
    return user
