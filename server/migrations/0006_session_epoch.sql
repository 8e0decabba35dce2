-- Bumped whenever a password is reset or changed: access tokens carry the epoch they were issued
-- in, and one from an earlier epoch no longer authenticates.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
