-- The per-person key store lives apart from the content database (MENTORAT_KEYSTORE_URL).
-- Here it is a second database of the same server; in production prefer another server, or a
-- managed key service, with its own backups.
CREATE DATABASE mentorat_keys;
