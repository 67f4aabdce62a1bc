"""API clients: partner hubs' systems, their credentials and scopes."""
