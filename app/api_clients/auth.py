"""The OAuth2 client-credentials grant: a partner system trades its secret for a token."""

from __future__ import annotations

import hmac

from sqlalchemy.ext.asyncio import AsyncSession

from app.api_clients import repository as repo
from app.core.errors import InvalidClient
from app.core.security import create_access_token, digest, new_secret
from app.users.schemas import TokenResponse


async def client_credentials_grant(db: AsyncSession, client_id: str, secret: str) -> TokenResponse:
    """Client-credentials grant for a partner hub's system (no refresh token)."""
    client = await repo.get_api_client_by_client_id(db, client_id)
    expected = client.secret_hash if client else digest(new_secret(32))
    if not hmac.compare_digest(expected, digest(secret)) or client is None:
        raise InvalidClient()
    if await repo.load_client_actor(db, client.id) is None:
        raise InvalidClient()
    access, ttl = create_access_token(str(client.id), kind="api_client")
    return TokenResponse(access_token=access, expires_in=ttl)
