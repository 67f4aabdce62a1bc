"""Fixtures of the notification tests."""

from tests.notifications.common import smtp

__all__ = ["smtp"]
