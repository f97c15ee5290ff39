-- API keys are stored only as SHA-256 hashes; the key itself is shown once, at creation.
CREATE TABLE api_keys (
    key_id      TEXT PRIMARY KEY,
    key_sha256  TEXT        NOT NULL UNIQUE,
    name        TEXT        NOT NULL,
    role        TEXT        NOT NULL CHECK (role IN ('admin', 'user', 'readonly')),
    rate_limit_per_minute INTEGER CHECK (rate_limit_per_minute > 0),
    expires_at  TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Human administrators who exchange a password for a short-lived JWT. Passwords are bcrypt hashes.
CREATE TABLE admin_users (
    username      TEXT PRIMARY KEY,
    password_hash TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    disabled_at   TIMESTAMPTZ
);
