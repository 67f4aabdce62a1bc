"""Who is calling: a user of some role, or a partner hub's API client."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

ADMIN = "admin"
COORDINATOR = "coordinator"
MENTOR = "mentor"
MENTEE = "mentee"
ROLES = (ADMIN, COORDINATOR, MENTOR, MENTEE)
STAFF_ROLES = frozenset({ADMIN, COORDINATOR})


@dataclass(frozen=True)
class Actor:
    """The authenticated caller, as every service and repository sees it."""

    kind: Literal["user", "api_client", "system"]
    id: uuid.UUID
    role: str
    hub_id: uuid.UUID | None
    locale: str = "fr"
    profile_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    session_id: uuid.UUID | None = None

    @property
    def is_admin(self) -> bool:
        """National admin: sees every hub."""
        return self.role == ADMIN

    @property
    def is_coordinator(self) -> bool:
        """Coordinator of one hub."""
        return self.role == COORDINATOR

    @property
    def is_staff(self) -> bool:
        """Admin or coordinator."""
        return self.role in STAFF_ROLES

    @property
    def is_api_client(self) -> bool:
        """A partner system."""
        return self.kind == "api_client"

    def has_scope(self, scope: str) -> bool:
        """Users are limited by role; API clients also by the scopes they were given."""
        return self.kind in ("user", "system") or scope in self.scopes

    def audit_ref(self) -> tuple[str, uuid.UUID | None]:
        """(type, id) as the audit log and histories record it."""
        if self.kind == "system":
            return "system", None
        return self.kind, self.id


# The service itself acting on a schedule (retention): national reach, recorded as `system`.
SYSTEM = Actor(kind="system", id=uuid.UUID(int=0), role=ADMIN, hub_id=None)
