"""Cross-domain privacy work: a person's data export (Law 25 right of access)."""
