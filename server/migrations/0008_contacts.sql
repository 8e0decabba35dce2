-- Contacts: an organisation's customers. The phone (E.164) is unique within the organisation,
-- deleted contacts included (so a restore never collides); lists page by keyset over the two
-- orders the page offers, never by offset.
CREATE TABLE contacts (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    first_name     TEXT NOT NULL DEFAULT '',
    last_name      TEXT NOT NULL DEFAULT '',
    phone          TEXT,
    wa_id          TEXT,
    email          TEXT,
    tags           TEXT NOT NULL DEFAULT '[]',   -- JSON array, sorted, no repeats
    attributes     TEXT NOT NULL DEFAULT '{}',   -- JSON object of strings
    opt_out_at     INTEGER,
    opt_out_source TEXT,
    sort_name      TEXT NOT NULL,                -- lower-case display name
    search         TEXT NOT NULL,                -- lower-case names and e-mail, phone digits
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    deleted_at     INTEGER
);
CREATE UNIQUE INDEX contacts_phone ON contacts (org_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX contacts_email ON contacts (org_id, email) WHERE email IS NOT NULL;
CREATE INDEX contacts_by_name ON contacts (org_id, sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_recent ON contacts (org_id, updated_at, id) WHERE deleted_at IS NULL;

-- Per-organisation contact settings: the country numbers without a country code are read in.
CREATE TABLE contact_settings (
    org_id          TEXT PRIMARY KEY,
    default_country TEXT
);
