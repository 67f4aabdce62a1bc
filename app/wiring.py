"""The composition root: wires what lower layers call without importing it, in every process.

Domains publish events without knowing who listens (`app.core.events`); the modules
below subscribe. `load()` runs in `create_app()` and in the command line, so the
server, the worker, the commands and the tests all see the same cascades.
"""

from __future__ import annotations

import importlib

SUBSCRIBERS = (
    "app.sessions.subscribers",
    "app.evaluations.subscribers",
    "app.erasure.subscribers",
    "app.notifications.subscribers",
    "app.outbox.subscribers",
)


def load() -> None:
    """Register every implementation core and lower domains call without importing (idempotent)."""
    from app.api_clients import auth as api_clients_auth
    from app.api_clients import repository as api_clients_repo
    from app.core import deps
    from app.core import metrics as core_metrics
    from app.matches import health as match_health
    from app.mentees.kind import MENTEE_KIND
    from app.mentors.kind import MENTOR_KIND
    from app.people.directory import ProfileDirectory
    from app.sessions import repository as sessions_repo
    from app.users import auth as users_auth
    from app.users import profiles as users_profiles
    from app.users import repository as users_repo
    from app.webhooks import metrics as webhook_metrics

    deps.register_actor_loader("user", users_repo.load_user_actor)
    deps.register_actor_loader("api_client", api_clients_repo.load_client_actor)
    users_auth.register_client_grant(api_clients_auth.client_credentials_grant)
    match_health.register_held_stats(sessions_repo.held_stats)
    users_profiles.register_directory(ProfileDirectory((MENTOR_KIND, MENTEE_KIND)))
    core_metrics.on_scrape_async(webhook_metrics.update)
    for module in SUBSCRIBERS:
        importlib.import_module(module)
