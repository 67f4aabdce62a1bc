"""Fixtures of the webhook tests."""

from tests.webhooks.common import receiver

__all__ = ["receiver"]
