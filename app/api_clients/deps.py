"""Load-or-404 dependencies of the API client routes: a hub the caller manages, its clients."""

from __future__ import annotations

from typing import Annotated

from app.api_clients import repository as repo
from app.api_clients import service
from app.api_clients.models import ApiClient
from app.core.lookup import or_404, or_404_within
from app.hubs.models import Hub

ManagedHubOr404 = Annotated[Hub, or_404(service.managed_hub, "hub_id")]
# An unrevoked API client of that hub.
ApiClientOr404 = Annotated[
    ApiClient, or_404_within(ManagedHubOr404, repo.get_api_client, "api_client_id")
]
