"""Append-only audit log of who did what to which resource."""
