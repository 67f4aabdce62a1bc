"""Accounts, login sessions, refresh tokens and login throttling."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.models import (
    created_field,
    id_field,
    json_dict_field,
    timestamp_field,
    updated_field,
)


class User(SQLModel, table=True):
    """An account: one email, one role, one hub (all but admins)."""

    id: uuid.UUID = id_field()
    email: str = Field(max_length=254, unique=True, nullable=False)
    full_name: str = Field(max_length=200, nullable=False)
    role: str = Field(max_length=20, nullable=False, index=True)
    hub_id: uuid.UUID | None = Field(default=None, foreign_key="hub.id", index=True)
    profile_id: uuid.UUID | None = Field(default=None, unique=True)
    locale: str = Field(default="fr", max_length=2, nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    password_hash: str | None = Field(default=None, max_length=255)
    # Optional emails the person turned off, e.g. {"reminders": false}; absent means on.
    notification_prefs: dict[str, bool] = json_dict_field()
    version: int = Field(default=1, nullable=False)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()


INVITATION = "invitation"
PASSWORD_RESET = "password_reset"


class UserToken(SQLModel, table=True):
    """A single-use emailed link (invitation, password reset); stored as a digest."""

    __tablename__ = "user_token"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True, nullable=False)
    kind: str = Field(max_length=20, nullable=False)
    token_digest: str = Field(max_length=64, unique=True, nullable=False)
    created_at: datetime = created_field()
    expires_at: datetime = timestamp_field(nullable=False)
    used_at: datetime | None = timestamp_field()


class AuthSession(SQLModel, table=True):
    """A login: the family of refresh tokens issued from one password grant."""

    __tablename__ = "auth_session"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True, nullable=False)
    created_at: datetime = created_field()
    revoked_at: datetime | None = timestamp_field()


class RefreshToken(SQLModel, table=True):
    """One refresh token of a family; stored as a digest, usable once."""

    __tablename__ = "refresh_token"

    id: uuid.UUID = id_field()
    session_id: uuid.UUID = Field(foreign_key="auth_session.id", index=True, nullable=False)
    token_digest: str = Field(max_length=64, unique=True, nullable=False)
    created_at: datetime = created_field()
    expires_at: datetime = timestamp_field(nullable=False)
    used_at: datetime | None = timestamp_field()


class LoginThrottle(SQLModel, table=True):
    """Failed logins per email (known or not), for the lockout."""

    __tablename__ = "login_throttle"

    email: str = Field(primary_key=True, max_length=254)
    failures: int = Field(default=0, nullable=False)
    window_started_at: datetime = created_field()
    locked_until: datetime | None = timestamp_field()
