"""HTTP layer of /auth: OAuth2 password and client-credentials grants, refresh, logout."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response, status
from pydantic import ValidationError

from app.core.deps import DbSession, oauth2_scheme
from app.core.errors import AppError, InvalidClient, Text, ValidationFailed
from app.core.openapi import problems
from app.core.security import decode_access_token
from app.users import auth, email_links
from app.users.schemas import (
    LinkPasswordRequest,
    LogoutRequest,
    RefreshRequest,
    TokenResponse,
)

router = APIRouter(prefix="/auth", tags=["auth"])


class UnsupportedGrant(AppError):
    """400: a grant type other than password, client_credentials or refresh_token."""

    type = "unsupported-grant-type"
    title = Text(fr="Type d'autorisation non pris en charge", en="Unsupported grant type")
    detail = Text(
        fr="Utilisez password ou client_credentials.", en="Use password or client_credentials."
    )


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        client_id, sep, secret = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidClient() from None
    return (client_id, secret) if sep else None


@router.post(
    "/token",
    response_model=TokenResponse,
    response_model_exclude_none=True,
    operation_id="auth-token",
    responses=problems(400, 401),
)
async def token(
    db: DbSession,
    request: Request,
    grant_type: Annotated[str, Form(max_length=40)] = "password",
    username: Annotated[str | None, Form(max_length=254)] = None,
    password: Annotated[str | None, Form(max_length=256)] = None,
    client_id: Annotated[str | None, Form(max_length=64)] = None,
    client_secret: Annotated[str | None, Form(max_length=256)] = None,
    refresh_token: Annotated[str | None, Form(max_length=512)] = None,
    scope: Annotated[str | None, Form(max_length=512)] = None,
) -> TokenResponse:
    """Log in: password grant (email, password) or client credentials (API clients)."""
    if grant_type == "password":
        missing = [
            ValidationFailed.field(["body", name], "Field required", "missing").errors[0]
            for name, value in (("username", username), ("password", password))
            if not value
        ]
        if missing:
            raise ValidationFailed(errors=missing)
        assert username is not None and password is not None
        return await auth.login(db, username, password)
    if grant_type == "client_credentials":
        credentials = _basic_credentials(request) or (client_id, client_secret)
        if not credentials[0] or not credentials[1]:
            raise InvalidClient()
        return await auth.client_credentials(db, credentials[0], credentials[1])
    if grant_type == "refresh_token":
        if not refresh_token:
            raise ValidationFailed.field(["body", "refresh_token"], "Field required", "missing")
        return await auth.refresh(db, refresh_token)
    raise UnsupportedGrant()


async def _refresh_body(request: Request) -> str:
    """The refresh token, from a JSON body or an OAuth2 form."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("refresh_token")
        if not isinstance(value, str) or not value:
            raise ValidationFailed.field(["body", "refresh_token"], "Field required", "missing")
        return value
    try:
        body = RefreshRequest.model_validate_json(await request.body() or b"{}")
    except ValidationError as exc:
        raise ValidationFailed(
            errors=[
                ValidationFailed.field(["body", *map(str, e["loc"])], e["msg"], e["type"]).errors[0]
                for e in exc.errors()
            ]
        ) from None
    return body.refresh_token


@router.post(
    "/refresh",
    response_model=TokenResponse,
    operation_id="auth-refresh",
    responses=problems(401),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": RefreshRequest.model_json_schema()},
                "application/x-www-form-urlencoded": {"schema": RefreshRequest.model_json_schema()},
            },
        }
    },
)
async def refresh(db: DbSession, token: Annotated[str, Depends(_refresh_body)]) -> TokenResponse:
    """Rotate a refresh token: the old one stops working; reusing it ends the login."""
    return await auth.refresh(db, token)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    operation_id="auth-logout",
)
async def logout(
    db: DbSession,
    access_token: Annotated[str | None, Depends(oauth2_scheme)],
    body: LogoutRequest | None = None,
) -> Response:
    """End the login of the access token (and of `refresh_token`, if given)."""
    claims = decode_access_token(access_token) if access_token else None
    session_id = None
    if claims is not None and claims.session_id:
        try:
            session_id = uuid.UUID(claims.session_id)
        except ValueError:
            session_id = None
    await auth.logout(db, session_id, body.refresh_token if body else None)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/accept-invitation",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    operation_id="auth-accept-invitation",
    responses=problems(400),
)
async def accept_invitation(db: DbSession, body: LinkPasswordRequest) -> Response:
    """Choose a password with the single-use link of an invitation, then log in."""
    await email_links.accept_invitation(db, body.token, body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    operation_id="auth-password-reset-confirm",
    responses=problems(400),
)
async def confirm_password_reset(db: DbSession, body: LinkPasswordRequest) -> Response:
    """Set a new password with a reset link; every login of the account ends."""
    await email_links.confirm_password_reset(db, body.token, body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
