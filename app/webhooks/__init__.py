"""Webhooks: a hub's subscriptions to outbox events, delivered signed by `mentorat worker`."""
