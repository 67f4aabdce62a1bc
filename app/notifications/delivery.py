"""Handing a message to the mail system: SMTP, or `.eml` files when no host is set."""

from __future__ import annotations

import asyncio
import os
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from app.core.config import Settings, get_settings
from app.notifications.models import Notification


class PermanentFailure(Exception):
    """The mail server refused the message for good (a 5xx answer): no retry."""


class TemporaryFailure(Exception):
    """The mail server could not take the message now: try again later."""


def build(notification: Notification, settings: Settings) -> EmailMessage:
    """The MIME message: plain text and HTML alternatives, and the attachment if any."""
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = notification.recipient_email
    message["Subject"] = notification.subject
    message["Date"] = format_datetime(notification.created_at)
    # A stable Message-ID: should a send ever be retried after a crash, clients dedupe it.
    message["Message-ID"] = make_msgid(idstring=notification.id.hex, domain="mentorat")
    message["Content-Language"] = notification.locale
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(notification.body_text)
    message.add_alternative(notification.body_html, subtype="html")
    if notification.attachment is not None:
        message.add_attachment(
            notification.attachment.encode(),
            maintype="text",
            subtype="calendar",
            filename=notification.attachment_name or "event.ics",
        )
    return message


def _send_smtp(message: EmailMessage, settings: Settings) -> None:
    assert settings.smtp_host is not None
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    try:
        if settings.smtp_port == 465:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.smtp_host,
                settings.smtp_port,
                timeout=settings.smtp_timeout_seconds,
                context=ssl.create_default_context(),
            )
        else:
            client = smtplib.SMTP(
                settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
            )
        with client:
            if settings.smtp_starttls and settings.smtp_port != 465:
                client.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                client.login(settings.smtp_username, password or "")
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(code >= 500 for code in codes):
            raise PermanentFailure(f"recipient refused ({codes[0]})") from None
        raise TemporaryFailure(f"recipient deferred ({codes[0]})") from None
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500 and not isinstance(exc, smtplib.SMTPAuthenticationError):
            raise PermanentFailure(f"refused ({exc.smtp_code})") from None
        raise TemporaryFailure(f"{type(exc).__name__} ({exc.smtp_code})") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(type(exc).__name__) from None


def _write_eml(message: EmailMessage, notification: Notification, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = notification.created_at.strftime("%Y%m%dT%H%M%S")
    target = folder / f"{stamp}-{notification.template}-{notification.id.hex[:12]}.eml"
    # Written whole, then renamed: a reader never opens half a message.
    fd, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(message.as_bytes())
    Path(temporary).replace(target)
    return target


async def deliver(notification: Notification) -> None:
    """Send one message (in a thread: smtplib blocks); raises Temporary/PermanentFailure."""
    settings = get_settings()
    message = build(notification, settings)
    if settings.smtp_host:
        await asyncio.to_thread(_send_smtp, message, settings)
        return
    try:
        await asyncio.to_thread(_write_eml, message, notification, Path(settings.mail_dir))
    except OSError as exc:
        raise TemporaryFailure(type(exc).__name__) from None
