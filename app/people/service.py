"""Rules shared by mentor and mentee profiles: reach, self-service, consent, anonymisation."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core import authz, events
from app.core.actor import MENTEE, MENTOR, Actor
from app.core.errors import (
    AlreadyExists,
    Forbidden,
    ProfileAnonymised,
    StatusSetBySystem,
    ValidationFailed,
)
from app.core.events import DomainEvent
from app.core.http import check_if_match
from app.core.lookup import found
from app.core.models import touch
from app.core.pagination import PageParams, PageResult
from app.core.types import utcnow
from app.hubs import repository as hubs_repo
from app.hubs.service import target_hub
from app.people import repository as repo
from app.people.kinds import ProfileKind
from app.people.models import PersonBase
from app.people.schemas import ConsentCreate, PersonCreate, PersonUpdate
from app.people.validation import normalise_search
from app.users import repository as users_repo


def is_peer_view(actor: Actor, kind: ProfileKind) -> bool:
    """A mentor reading a mentee (or the reverse) sees the peer view."""
    return actor.role in (MENTOR, MENTEE) and actor.role != kind.role


def present(actor: Actor, kind: ProfileKind, row: RowMapping | PersonBase) -> BaseModel:
    """The profile in the shape the caller may see."""
    data: dict[str, Any] = dict(row) if isinstance(row, RowMapping) else row.model_dump()
    if is_peer_view(actor, kind):
        return kind.peer_schema.model_validate(data)
    version, given_at = data.get("consent_version"), data.get("consent_given_at")
    data["consent"] = {"version": version, "given_at": given_at} if version and given_at else None
    return kind.read_schema.model_validate(data)


def _can_write(actor: Actor, kind: ProfileKind) -> bool:
    return authz.can_manage(actor, "mentor" if kind.role == MENTOR else "mentee")


def _is_self(actor: Actor, kind: ProfileKind, profile_id: uuid.UUID) -> bool:
    return actor.kind == "user" and actor.role == kind.role and actor.profile_id == profile_id


async def list_profiles(
    db: AsyncSession, actor: Actor, kind: ProfileKind, params: PageParams, filters: dict[str, Any]
) -> PageResult[dict[str, Any]] | PageResult[str]:
    """Profiles within the caller's reach, in the view the caller gets (dicts or JSON texts)."""
    if repo.documents_supported(db):
        schema = kind.peer_schema if is_peer_view(actor, kind) else kind.read_schema
        fields = tuple(schema.model_fields)
        return await repo.list_documents(db, actor, kind, params, filters, fields)
    return await repo.list_rows(db, actor, kind, params, filters)


def refresh_search(entity: PersonBase, kind: ProfileKind) -> None:
    """Recompute what `q` searches: names, email and organisation, lowercase and accent-free."""
    parts = [entity.first_name, entity.last_name, entity.email]
    parts += [str(getattr(entity, name) or "") for name in kind.extra_search_fields]
    entity.search_text = normalise_search(" ".join(parts))[:1000]


async def _flush_unique(db: AsyncSession) -> None:
    # Two requests creating the same email at once: the unique index decides.
    try:
        await db.flush()
    except IntegrityError:
        raise AlreadyExists(params={"field": "email"}) from None


async def create_profile(
    db: AsyncSession, actor: Actor, kind: ProfileKind, data: PersonCreate
) -> PersonBase:
    """Staff (or a partner system with the write scope) create a profile in their hub."""
    if not _can_write(actor, kind):
        raise Forbidden()
    hub_id = (await target_hub(db, actor, data.hub_id)).id
    values = data.model_dump(exclude={"hub_id"})
    values["email"] = values["email"].lower()
    if await repo.email_taken(db, kind, values["email"], hub_id):
        raise AlreadyExists(params={"field": "email"})
    entity = kind.table(hub_id=hub_id, **values)
    refresh_search(entity, kind)
    db.add(entity)
    await _flush_unique(db)
    record(db, actor, "create", kind.role, entity.id, hub_id)
    await _publish(db, actor, kind, entity, "created")
    return entity


def _check_change(
    actor: Actor, kind: ProfileKind, entity: PersonBase, if_match: str | None
) -> None:
    """Whether the caller may change this profile (locked by its loader) now."""
    if not (_can_write(actor, kind) or _is_self(actor, kind, entity.id)):
        # A mentor may read their mentee's profile but never change it.
        raise Forbidden()
    check_if_match(if_match, entity.version)
    if entity.anonymised_at is not None:
        raise ProfileAnonymised()


async def update_profile(
    db: AsyncSession,
    actor: Actor,
    kind: ProfileKind,
    entity: PersonBase,
    data: PersonUpdate,
    if_match: str | None,
) -> PersonBase:
    """Change a profile; the person only their own fields, staff also the staff-only ones."""
    _check_change(actor, kind, entity, if_match)
    changes = data.model_dump(exclude_unset=True)
    staff = _can_write(actor, kind)
    for field in sorted(changes):
        if not staff and (field in kind.staff_fields or field == "hub_id"):
            raise ValidationFailed.forbidden_field(["body", field])
        if field == "hub_id" and not actor.is_admin:
            raise ValidationFailed.forbidden_field(["body", field])
        if changes[field] is None and not _nullable(kind, field):
            raise ValidationFailed.field(["body", field], "May not be null", "custom")
    if "hub_id" in changes and await hubs_repo.get(db, changes["hub_id"]) is None:
        raise ValidationFailed.unreachable(["body", "hub_id"])
    status_changes = "status" in changes and changes["status"] != entity.status
    if status_changes and entity.status in kind.system_statuses:
        raise StatusSetBySystem(params={"status": entity.status})
    if "email" in changes:
        changes["email"] = changes["email"].lower()
    # Front ends send whole forms: unchanged values neither bump the version nor get audited.
    changes = {f: v for f, v in changes.items() if getattr(entity, f) != v}
    if not changes:
        return entity
    # Emails are unique within a hub: a new email, or a move to another hub, is checked there.
    if ("email" in changes or "hub_id" in changes) and await repo.email_taken(
        db,
        kind,
        changes.get("email", entity.email),
        changes.get("hub_id", entity.hub_id),
        except_id=entity.id,
    ):
        raise AlreadyExists(params={"field": "email"})
    for field, value in changes.items():
        setattr(entity, field, value)
    refresh_search(entity, kind)
    touch(entity)
    if "hub_id" in changes:
        await _move_account(db, entity)
    await _flush_unique(db)
    record(db, actor, "update", kind.role, entity.id, entity.hub_id, {"fields": sorted(changes)})
    await _publish(db, actor, kind, entity, "updated", fields=sorted(changes))
    return entity


async def _publish(
    db: AsyncSession, actor: Actor, kind: ProfileKind, entity: PersonBase, what: str, **data: Any
) -> None:
    """Tell other domains (and, through the outbox, partners) that a profile changed."""
    await events.publish(
        db,
        DomainEvent(
            type=f"{kind.role}.{what}",
            hub_id=entity.hub_id,
            subject={f"{kind.role}_id": entity.id},
            actor=actor.audit_ref(),
            data=data,
        ),
    )


async def _move_account(db: AsyncSession, entity: PersonBase) -> None:
    """The person's account follows their profile to its new hub, so that hub's staff manage it."""
    account = await users_repo.account_for_profile(db, entity.id)
    if account is not None and account.hub_id != entity.hub_id:
        account.hub_id = entity.hub_id
        touch(account)


def _nullable(kind: ProfileKind, field: str) -> bool:
    column = kind.table.__table__.c.get(field)  # type: ignore[attr-defined]
    return bool(column is not None and column.nullable)


def _consent_actor(actor: Actor) -> None:
    # Consent is the person's word (or staff's record of it on paper), never a partner system's.
    if actor.is_api_client:
        raise Forbidden()


async def record_consent(
    db: AsyncSession, actor: Actor, kind: ProfileKind, entity: PersonBase, data: ConsentCreate
) -> PersonBase:
    """Record consent: by the person, or by staff for a consent given on paper."""
    _consent_actor(actor)
    _check_change(actor, kind, entity, None)
    entity.consent_version = data.version
    entity.consent_given_at = utcnow()
    touch(entity)
    await db.flush()
    record(
        db,
        actor,
        "consent_given",
        kind.role,
        entity.id,
        entity.hub_id,
        {"version": data.version, "recorded_by": actor.role},
    )
    return entity


async def withdraw_consent(
    db: AsyncSession, actor: Actor, kind: ProfileKind, entity: PersonBase
) -> PersonBase:
    """Withdraw consent at once."""
    _consent_actor(actor)
    _check_change(actor, kind, entity, None)
    previous = entity.consent_version
    if previous is None:
        # Nothing to withdraw: no new version, no audit entry that claims a withdrawal.
        return entity
    entity.consent_version = None
    entity.consent_given_at = None
    touch(entity)
    await db.flush()
    record(
        db,
        actor,
        "consent_withdrawn",
        kind.role,
        entity.id,
        entity.hub_id,
        {"version": previous, "recorded_by": actor.role},
    )
    return entity


async def profile_to_anonymise(
    db: AsyncSession, actor: Actor, kind: ProfileKind, profile_id: uuid.UUID
) -> PersonBase | None:
    """The profile locked for anonymisation (staff only: others get 403 on what they see)."""
    if not actor.is_staff:
        found(await repo.get_row(db, actor, kind, profile_id))
        raise Forbidden()
    return await repo.get_for_update(db, actor, kind, profile_id)


async def anonymise_profile(
    db: AsyncSession, actor: Actor, kind: ProfileKind, profile_id: uuid.UUID
) -> None:
    """Anonymise the profile of this id (the retention job's way in), else 404."""
    await anonymise(db, actor, kind, found(await profile_to_anonymise(db, actor, kind, profile_id)))


async def anonymise(db: AsyncSession, actor: Actor, kind: ProfileKind, entity: PersonBase) -> None:
    """Erase a person for good; the row stays so that counts and reports stay true."""
    if entity.anonymised_at is not None:
        return
    now = utcnow()
    entity.first_name = "Anonyme"
    entity.last_name = ""
    entity.email = repo.anonymised_email(entity.id)
    entity.phone = None
    entity.consent_version = None
    entity.consent_given_at = None
    for field, value in kind.erased.items():
        setattr(entity, field, value() if callable(value) else value)
    entity.search_text = ""
    entity.anonymised_at = now
    touch(entity, now)
    account = await users_repo.account_for_profile(db, entity.id)
    if account is not None:
        account.email = repo.anonymised_email(account.id)
        account.full_name = "Anonyme"
        account.password_hash = None
        account.is_active = False
        touch(account, now)
        await users_repo.revoke_user_sessions(db, account.id, now)
    await db.flush()
    record(db, actor, "anonymise", kind.role, entity.id, entity.hub_id)
    # What the person wrote, and what the pair wrote about them, goes with them
    # (sessions and evaluations subscribe); dates and counts stay.
    await _publish(
        db, actor, kind, entity, "anonymised", account_id=account.id if account else None
    )
