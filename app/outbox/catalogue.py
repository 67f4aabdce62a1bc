"""The events partners are told about, and the link each one carries."""

from __future__ import annotations

from collections.abc import Mapping

from app.reference.catalog import WEBHOOK_EVENT_TYPES as _LABELLED

#: Every event a webhook may subscribe to, in catalogue order (account events stay inside).
WEBHOOK_EVENT_TYPES: tuple[str, ...] = tuple(_LABELLED)

# resource -> (path of its API resource, the subject id it is read by). Evaluations are
# not readable by partners: their events link to the match they belong to.
LINKS: Mapping[str, tuple[str, str]] = {
    "mentee": ("mentees", "mentee_id"),
    "mentor": ("mentors", "mentor_id"),
    "match": ("matches", "match_id"),
    "session": ("sessions", "session_id"),
    "evaluation": ("matches", "match_id"),
}
