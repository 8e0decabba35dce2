-- Sign-ups waiting for their e-mail address to be confirmed: the account and organisation are
-- created only when the link sent to that address is used. Times are Unix milliseconds.
CREATE TABLE registrations (
    token_hash    TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    organisation  TEXT NOT NULL,
    lang          TEXT NOT NULL,
    expires_at    INTEGER NOT NULL,
    used_at       INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX registrations_expiry ON registrations (expires_at);
