"""Load-or-404 dependencies of the hub routes: the hub within the caller's reach."""

from __future__ import annotations

from typing import Annotated

from app.core.lookup import or_404
from app.hubs import repository as repo
from app.hubs import service
from app.hubs.models import Hub

HubOr404 = Annotated[Hub, or_404(repo.get_visible, "hub_id")]
HubToUpdateOr404 = Annotated[Hub, or_404(service.hub_to_update, "hub_id")]
