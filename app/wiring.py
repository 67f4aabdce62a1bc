"""The composition root: imports every domain-event subscriber once, in every process.

Domains publish events without knowing who listens (`app.core.events`); the modules
below subscribe. `load()` runs in `create_app()` and in the command line, so the
server, the worker, the commands and the tests all see the same cascades.
"""

from __future__ import annotations

import importlib

SUBSCRIBERS = (
    "app.sessions.subscribers",
    "app.evaluations.subscribers",
    "app.notifications.subscribers",
)


def load() -> None:
    """Import every subscriber module (idempotent)."""
    for module in SUBSCRIBERS:
        importlib.import_module(module)
