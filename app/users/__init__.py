"""Accounts, authentication and partner API clients."""
