-- People, organisations (tenants) and who belongs where. Times are Unix milliseconds.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,   -- stored lower-cased
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    lang          TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES organisations (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE login_events (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    at         INTEGER NOT NULL,
    ip         TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX login_events_user ON login_events (user_id, at);

-- Failed sign-ins, counted per account and per IP address to throttle guessing.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

-- The organisation a session is signed in to travels with its refresh token.
ALTER TABLE refresh_tokens ADD COLUMN org_id TEXT;
-- Rotated (used) tokens stay until their family expires, so a replay can be recognised.
ALTER TABLE refresh_tokens ADD COLUMN used_at INTEGER;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX password_reset_tokens_user ON password_reset_tokens (user_id);
