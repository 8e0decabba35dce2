-- Meta ad accounts (one per organisation) and what a sync reads from them.
CREATE TABLE ad_accounts (
    org_id         TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    page_id        TEXT NOT NULL,
    name           TEXT NOT NULL,
    currency       TEXT NOT NULL,
    timezone       TEXT NOT NULL,
    account_status INTEGER NOT NULL,
    token          TEXT NOT NULL,
    status         TEXT NOT NULL,
    status_detail  TEXT,
    connected_at   INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    sync_state     TEXT NOT NULL DEFAULT 'idle',
    sync_stage     TEXT NOT NULL DEFAULT '',
    sync_cursor    TEXT,
    sync_done      INTEGER NOT NULL DEFAULT 0,
    sync_total     INTEGER NOT NULL DEFAULT 0,
    sync_detail    TEXT,
    last_sync_at   INTEGER
);

CREATE TABLE ad_campaigns (
    org_id          TEXT NOT NULL,
    id              TEXT NOT NULL,
    name            TEXT NOT NULL,
    objective       TEXT NOT NULL,
    status          TEXT NOT NULL,
    daily_budget    INTEGER,
    lifetime_budget INTEGER,
    bid_strategy    TEXT,
    synced_at       INTEGER NOT NULL,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;

CREATE TABLE ad_sets (
    org_id          TEXT NOT NULL,
    id              TEXT NOT NULL,
    campaign_id     TEXT NOT NULL,
    name            TEXT NOT NULL,
    status          TEXT NOT NULL,
    daily_budget    INTEGER,
    lifetime_budget INTEGER,
    bid_strategy    TEXT,
    synced_at       INTEGER NOT NULL,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
CREATE INDEX ad_sets_campaign ON ad_sets (org_id, campaign_id);

CREATE TABLE ads (
    org_id         TEXT NOT NULL,
    id             TEXT NOT NULL,
    adset_id       TEXT NOT NULL,
    campaign_id    TEXT NOT NULL,
    name           TEXT NOT NULL,
    status         TEXT NOT NULL,
    title          TEXT,
    body           TEXT,
    image_url      TEXT,
    call_to_action TEXT,
    synced_at      INTEGER NOT NULL,
    PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
CREATE INDEX ads_campaign ON ads (org_id, campaign_id);

-- One row per object and day; the day leads the key after the level, so a date range is one
-- index range, and the sums read no other table.
CREATE TABLE ad_insights (
    org_id      TEXT NOT NULL,
    level       TEXT NOT NULL,
    day         TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    impressions INTEGER NOT NULL,
    clicks      INTEGER NOT NULL,
    spend       INTEGER NOT NULL,
    purchases   INTEGER NOT NULL,
    revenue     INTEGER NOT NULL,
    PRIMARY KEY (org_id, level, day, object_id)
) WITHOUT ROWID;
