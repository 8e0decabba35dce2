-- Invitations to join an organisation, bound to one e-mail address; the link's token is stored
-- only as a SHA-256 hash. Times are Unix milliseconds.
CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    token_hash  TEXT NOT NULL UNIQUE,
    invited_by  TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    accepted_at INTEGER,
    revoked_at  INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX invitations_org ON invitations (org_id, created_at);
