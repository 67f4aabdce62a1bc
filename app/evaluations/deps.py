"""Load-or-404 dependencies of the evaluation routes (each loader refuses a role first: 403)."""

from __future__ import annotations

from typing import Annotated

from app.core.lookup import or_404
from app.evaluations import service
from app.evaluations.models import Evaluation
from app.matches.models import Match

EvaluatedMatchOr404 = Annotated[Match, or_404(service.evaluated_match, "match_id")]
MatchToEvaluateOr404 = Annotated[Match, or_404(service.match_to_evaluate, "match_id")]
StaffEvaluationOr404 = Annotated[Evaluation, or_404(service.evaluation_for_staff, "evaluation_id")]
