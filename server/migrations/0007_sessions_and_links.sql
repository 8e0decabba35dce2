-- The successor of a rotated refresh token, sealed with the keyring: a second tab refreshing with
-- the same cookie a moment later is given the winner's token instead of ending the session.
ALTER TABLE refresh_tokens ADD COLUMN successor TEXT;

-- Revocation by family, checked whenever a token is used: a token inserted while its family was
-- being revoked is refused too. Kept until the family's longest possible end.
CREATE TABLE revoked_families (
    family_id TEXT PRIMARY KEY,
    revoked_at INTEGER NOT NULL,
    keep_until INTEGER NOT NULL
);

-- Sign-in links e-mailed to the owner of an account under attack who signs in from a new place:
-- single use, 15 minutes, stored only as SHA-256 hashes (like reset tokens).
CREATE TABLE sign_in_links (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX sign_in_links_expiry ON sign_in_links (expires_at);

-- The user's session epoch when the token was issued: a password reset or change moves the
-- epoch on, so a token inserted by a refresh racing the reset is dead as well.
ALTER TABLE refresh_tokens ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
