-- WhatsApp: each organisation's connected number (Meta's Cloud API or the built-in sandbox), the
-- raw webhook deliveries as received, and the inbox they feed: one conversation per contact and
-- number, and its messages.
CREATE TABLE whatsapp_connections (
    org_id          TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,               -- meta | sandbox
    waba_id         TEXT NOT NULL,
    phone_number_id TEXT NOT NULL UNIQUE,         -- deliveries are routed by it
    display_phone   TEXT NOT NULL,
    verified_name   TEXT NOT NULL,
    quality_rating  TEXT,
    token           TEXT NOT NULL,               -- sealed with the keyring, never returned
    status          TEXT NOT NULL,               -- connected | reauthorise
    status_detail   TEXT,
    connected_at    INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- Webhook deliveries exactly as they arrived (signature checked), processed by jobs.
CREATE TABLE whatsapp_deliveries (
    id           TEXT PRIMARY KEY,
    body         TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    outcome      TEXT,                          -- NULL until processed
    processed_at INTEGER
);
CREATE INDEX whatsapp_deliveries_received ON whatsapp_deliveries (received_at);

CREATE TABLE conversations (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL,
    contact_id      TEXT NOT NULL,
    phone_number_id TEXT NOT NULL,
    status          TEXT NOT NULL,               -- open | pending | resolved
    assignee        TEXT,
    unread          INTEGER NOT NULL DEFAULT 0,
    preview         TEXT NOT NULL DEFAULT '',
    last_message_at INTEGER NOT NULL,
    last_inbound_at INTEGER,                     -- opens the 24-hour window
    referral        TEXT,                        -- JSON: the ad that started it
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX conversations_contact ON conversations (org_id, contact_id, phone_number_id);
CREATE INDEX conversations_recent ON conversations (org_id, last_message_at, id);

CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    phone_number_id TEXT NOT NULL,
    wamid           TEXT,                        -- Meta's id; NULL while ours is pending
    direction       TEXT NOT NULL,               -- in | out
    content         TEXT NOT NULL,               -- JSON, by message type
    context_wamid   TEXT,                        -- the message it quotes
    status          TEXT NOT NULL,
    status_rank     INTEGER NOT NULL,            -- statuses only climb
    error           TEXT,                        -- JSON {code, title, details}
    sent_by         TEXT,
    created_at      INTEGER NOT NULL,
    status_at       INTEGER NOT NULL
);
-- A delivery Meta repeats (or two instances process at once) never makes a second message.
CREATE UNIQUE INDEX messages_wamid ON messages (phone_number_id, wamid) WHERE wamid IS NOT NULL;
CREATE INDEX messages_conversation ON messages (conversation_id, created_at, id);

-- A counter per organisation, moved on by every change to its inbox. Open inboxes (on any
-- instance) watch it and read again when it moves: nothing to lose or replay.
CREATE TABLE inbox_clock (
    org_id  TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
-- The navigation's unread count reads only conversations with something unread.
CREATE INDEX conversations_unread ON conversations (org_id) WHERE unread > 0;

-- The message templates of each organisation's WhatsApp account, as last synced from Meta.
CREATE TABLE whatsapp_templates (
    org_id     TEXT NOT NULL,
    name       TEXT NOT NULL,
    language   TEXT NOT NULL,
    category   TEXT NOT NULL,
    status     TEXT NOT NULL,                 -- APPROVED, PENDING, REJECTED, PAUSED…
    components TEXT NOT NULL,                 -- JSON, as Meta describes them
    synced_at  INTEGER NOT NULL,
    PRIMARY KEY (org_id, name, language)
);
