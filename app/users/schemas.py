"""Account and token schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import EmailStr, Field, StrictBool

from app.core.schemas import InputModel, OutputModel
from app.core.security import MIN_PASSWORD_LENGTH

Role = Literal["admin", "coordinator", "mentor", "mentee"]
LocaleCode = Literal["fr", "en"]
Password = Field(min_length=MIN_PASSWORD_LENGTH, max_length=256)
FullName = Field(min_length=1, max_length=200)
# The same constraints, but the field may be left out (PATCH bodies).
OptionalPassword = Field(default=None, min_length=MIN_PASSWORD_LENGTH, max_length=256)
OptionalFullName = Field(default=None, min_length=1, max_length=200)


class UserCreate(InputModel):
    """A new account; mentors and mentees link their profile with `profile_id`."""

    email: EmailStr
    full_name: str = FullName
    role: Role
    hub_id: uuid.UUID | None = None
    profile_id: uuid.UUID | None = None
    locale: LocaleCode = "fr"
    # Without one, the person is emailed an invitation to choose it.
    password: str | None = OptionalPassword
    is_active: StrictBool = True


class UserUpdate(InputModel):
    """What staff may change on an account."""

    email: EmailStr | None = None
    full_name: str | None = OptionalFullName
    locale: LocaleCode | None = None
    is_active: StrictBool | None = None
    password: str | None = OptionalPassword


class NotificationPrefs(OutputModel):
    """Optional emails a person receives (invitations, resets and proposals always go)."""

    reminders: bool = True
    digest: bool = True


class NotificationPrefsUpdate(InputModel):
    """Turn optional emails on or off: session and evaluation reminders, the weekly digest."""

    reminders: StrictBool | None = None
    digest: StrictBool | None = None


class UserSelfUpdate(InputModel):
    """What a person may change on their own account."""

    full_name: str | None = OptionalFullName
    locale: LocaleCode | None = None
    notifications: NotificationPrefsUpdate | None = None
    password: str | None = OptionalPassword
    current_password: str | None = Field(default=None, max_length=256)


class UserRead(OutputModel):
    """An account as the API shows it (never the password hash)."""

    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    hub_id: uuid.UUID | None
    profile_id: uuid.UUID | None
    locale: LocaleCode
    is_active: bool
    notifications: NotificationPrefs = Field(
        default_factory=NotificationPrefs, validation_alias="notification_prefs"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class LinkPasswordRequest(InputModel):
    """The token of an emailed link, and the password the person chooses."""

    token: str = Field(min_length=1, max_length=512)
    password: str = Password


class TokenResponse(OutputModel):
    """OAuth2 token answer."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_token: str | None = None


class RefreshRequest(InputModel):
    """A refresh token to rotate or revoke."""

    refresh_token: str = Field(min_length=1, max_length=512)


class LogoutRequest(InputModel):
    """Optionally the refresh token whose login to end."""

    refresh_token: str | None = Field(default=None, max_length=512)
