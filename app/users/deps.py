"""Load-or-404 dependencies of the account routes: the account within the caller's reach."""

from __future__ import annotations

from typing import Annotated

from app.core.lookup import or_404
from app.users import email_links, service
from app.users import repository as repo
from app.users.models import User

UserOr404 = Annotated[User, or_404(repo.get_visible, "user_id")]
UserToUpdateOr404 = Annotated[User, or_404(service.user_to_update, "user_id")]
UserToInviteOr404 = Annotated[User, or_404(email_links.user_to_invite, "user_id")]
