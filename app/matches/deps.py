"""Load-or-404 dependencies of the match routes: the match or run within the caller's reach."""

from __future__ import annotations

import functools
from typing import Annotated

from sqlalchemy import RowMapping

from app.core.lookup import or_404
from app.matches import engine
from app.matches import repository as repo
from app.matches.models import Match, MatchingRun

MatchOr404 = Annotated[Match, or_404(repo.get_visible, "match_id")]
# A state transition locks the row in the request's transaction before its rule is checked.
LockedMatchOr404 = Annotated[
    Match, or_404(functools.partial(repo.get_visible, for_update=True), "match_id")
]
RunOr404 = Annotated[MatchingRun, or_404(repo.get_run, "run_id")]
LockedRunOr404 = Annotated[
    MatchingRun, or_404(functools.partial(repo.get_run, for_update=True), "run_id")
]
# The mentee whose suggestions are asked for (a profile of the people domain, as columns).
SuggestedMenteeOr404 = Annotated[RowMapping, or_404(engine.mentee_row, "mentee_id")]
