"""A person's data export (Québec's Law 25 right of access): everything held about them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import repository as audit_repo
from app.audit.schemas import AuditEventRead
from app.audit.service import record
from app.core.actor import Actor
from app.core.errors import Forbidden
from app.core.lookup import found
from app.core.types import utcnow
from app.evaluations import repository as evaluations_repo
from app.evaluations.schemas import EvaluationRead
from app.matches import repository as matches_repo
from app.people import repository as repo
from app.people.kinds import ProfileKind
from app.people.service import present
from app.sessions import repository as sessions_repo
from app.users import repository as users_repo

CONSENT_ACTIONS = ("consent_given", "consent_withdrawn")


async def export_profile(
    db: AsyncSession, actor: Actor, kind: ProfileKind, profile_id: uuid.UUID
) -> dict[str, Any]:
    """One structured document: profile, account, consents, and the audit trail about them."""
    row = found(await repo.get_row(db, actor, kind, profile_id))
    is_self = actor.kind == "user" and actor.role == kind.role and actor.profile_id == profile_id
    if not (actor.is_staff or is_self):
        raise Forbidden()
    profile = present(actor, kind, row).model_dump(mode="json")
    account = await users_repo.account_for_profile(db, profile_id)
    subject_ids = [profile_id] + ([account.id] if account else [])
    events = await audit_repo.events_about(db, subject_ids)
    document: dict[str, Any] = {
        "exported_at": utcnow().isoformat(),
        "kind": kind.role,
        "profile": profile,
        "account": None
        if account is None
        else {
            "id": str(account.id),
            "email": account.email,
            "full_name": account.full_name,
            "role": account.role,
            "locale": account.locale,
            "is_active": account.is_active,
            "created_at": account.created_at.isoformat(),
        },
        "consents": [
            {
                "action": e.action,
                "version": e.details.get("version"),
                "at": e.at.isoformat(),
                "recorded_by": {
                    "type": e.actor_type,
                    "id": str(e.actor_id) if e.actor_id else None,
                },
            }
            for e in events
            if e.action in CONSENT_ACTIONS
        ],
        "audit_events": [AuditEventRead.of(e).model_dump(mode="json") for e in events],
    }
    for section, rows in (await related_records(db, kind, profile_id)).items():
        document[section] = rows
    record(db, actor, "export", kind.role, profile_id, row["hub_id"])
    return document


async def related_records(
    db: AsyncSession, kind: ProfileKind, profile_id: uuid.UUID
) -> dict[str, list[dict[str, Any]]]:
    """Matches, sessions (dates, never their content) and evaluations about the person."""
    matches = await matches_repo.matches_of_profile(db, kind.role, profile_id)
    sessions = await sessions_repo.sessions_of_profile(db, kind.role, profile_id)
    return {
        "matches": [
            {
                "id": str(m.id),
                "status": m.status,
                "mentor_id": str(m.mentor_id),
                "mentee_id": str(m.mentee_id),
                "score": m.score,
                "breakdown": m.breakdown,
                "starts_on": m.starts_on.isoformat() if m.starts_on else None,
                "ends_on": m.ends_on.isoformat() if m.ends_on else None,
                "end_reason": m.end_reason,
                "created_at": m.created_at.isoformat(),
            }
            for m in matches
        ],
        "sessions": [
            {
                "id": str(s.id),
                "match_id": str(s.match_id),
                "scheduled_at": s.scheduled_at.isoformat(),
                "duration_minutes": s.duration_minutes,
                "mode": s.mode,
                "status": s.status,
            }
            for s in sessions
        ],
        "evaluations": [
            EvaluationRead.of(e).model_dump(mode="json")
            for e in await evaluations_repo.of_author(db, kind.role, profile_id)
        ],
    }
