-- Messages left through the public contact form.
CREATE TABLE contact_messages (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    company     TEXT,
    message     TEXT NOT NULL,
    lang        TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX contact_messages_received_at ON contact_messages (received_at);
