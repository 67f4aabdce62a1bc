"""Load-or-404 dependencies of the API client routes: a hub the caller manages, its clients."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.api_clients import repository as repo
from app.api_clients import service
from app.api_clients.models import ApiClient
from app.core.deps import DbSession
from app.core.lookup import found, or_404
from app.hubs.models import Hub

ManagedHubOr404 = Annotated[Hub, or_404(service.managed_hub, "hub_id")]


async def api_client_or_404(
    db: DbSession, hub: ManagedHubOr404, api_client_id: uuid.UUID
) -> ApiClient:
    """An unrevoked API client of a hub the caller manages, else 404."""
    return found(await repo.get_api_client(db, hub.id, api_client_id))


ApiClientOr404 = Annotated[ApiClient, Depends(api_client_or_404)]
