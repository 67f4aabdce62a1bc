"""The transactional outbox: every event partners may be told, recorded with the change."""
