"""Cross-cutting pieces: settings, database, security, errors, pagination, i18n."""
