"""Email notifications: an outbox of messages written with the change that causes them."""
