"""Load-or-404 dependencies of the session routes: the session within the caller's reach."""

from __future__ import annotations

import functools
from typing import Annotated

from app.core.lookup import or_404
from app.sessions import repository as repo
from app.sessions.models import MentoringSession

SessionOr404 = Annotated[MentoringSession, or_404(repo.get_visible, "session_id")]
# A change locks the row in the request's transaction before its rule is checked.
LockedSessionOr404 = Annotated[
    MentoringSession, or_404(functools.partial(repo.get_visible, for_update=True), "session_id")
]
