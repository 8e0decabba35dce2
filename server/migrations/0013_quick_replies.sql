-- Quick replies: an organisation's saved answers, typed in the inbox as `/shortcut`.
CREATE TABLE quick_replies (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    shortcut   TEXT NOT NULL,
    text       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, shortcut)
);
