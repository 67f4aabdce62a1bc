"""Creating the first admin from the command line."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from app.core.actor import ADMIN
from app.core.db import get_engine, unit_of_work
from app.core.security import MIN_PASSWORD_LENGTH, hash_password
from app.users import repository as repo
from app.users.models import User


async def create_admin(email: str, password: str, full_name: str, *, if_missing: bool) -> bool:
    """Create an admin; False when it exists and `if_missing` allows that."""
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(f"invalid email: {exc}") from None
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    try:
        async with unit_of_work(write=True) as db:
            existing = await repo.get_by_email(db, email)
            if existing is not None:
                if if_missing and existing.role == ADMIN:
                    return False
                raise ValueError("an account with this email already exists")
            db.add(
                User(
                    email=email,
                    full_name=full_name,
                    role=ADMIN,
                    password_hash=await hash_password(password),
                )
            )
        return True
    finally:
        await get_engine().dispose()
