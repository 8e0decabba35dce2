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

-- CSV imports: the uploaded file's facts, the mapping chosen, and progress. Progress is written in
-- the same transaction as each batch of contacts, so an import killed mid-run resumes exactly.
CREATE TABLE contact_imports (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    stored_as       TEXT NOT NULL,
    size            INTEGER NOT NULL,
    encoding        TEXT NOT NULL,
    delimiter       TEXT NOT NULL,
    headers         TEXT NOT NULL,             -- JSON array
    preview         TEXT NOT NULL,             -- JSON array of rows
    mapping         TEXT NOT NULL,             -- JSON array of column targets
    mode            TEXT NOT NULL,
    tags            TEXT NOT NULL,             -- JSON array
    default_country TEXT NOT NULL,
    status          TEXT NOT NULL,
    total_rows      INTEGER,
    rows_done       INTEGER NOT NULL DEFAULT 0,
    created         INTEGER NOT NULL DEFAULT 0,
    updated         INTEGER NOT NULL DEFAULT 0,
    unchanged       INTEGER NOT NULL DEFAULT 0,
    rejected        INTEGER NOT NULL DEFAULT 0,
    error           TEXT,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER
);
CREATE INDEX contact_imports_org ON contact_imports (org_id, created_at);

CREATE TABLE contact_import_rejects (
    import_id TEXT NOT NULL,
    row       INTEGER NOT NULL,                -- the spreadsheet's row number (header = 1)
    reason    TEXT NOT NULL,                   -- an error code, translated when shown
    cells     TEXT NOT NULL,                   -- JSON array, each cell cut at 2,000 characters
    PRIMARY KEY (import_id, row)
);
