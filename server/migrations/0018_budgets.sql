-- The budget optimiser in the product. What each sync saw of a campaign's revenue for a day at
-- the day's age then (the first sighting of each age is kept): the optimiser estimates from it
-- how long conversions take to be reported. The organisation's optimiser settings (budget and
-- rails), its decisions (proposals and what became of them), Claude's explanation of each,
-- one per language, and each budget change an apply asked of Meta (its job state and audit trail).
CREATE TABLE ad_sightings (
    org_id      TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    day         TEXT NOT NULL,
    age         INTEGER NOT NULL,
    revenue     INTEGER NOT NULL,
    PRIMARY KEY (org_id, campaign_id, day, age)
) WITHOUT ROWID;
CREATE INDEX ad_sightings_day ON ad_sightings (org_id, day);

CREATE TABLE budget_settings (
    org_id      TEXT PRIMARY KEY,
    currency    TEXT NOT NULL,
    daily_budget INTEGER NOT NULL,
    floor       INTEGER NOT NULL,
    cap         INTEGER NOT NULL,
    max_change_pct INTEGER NOT NULL,
    min_days    INTEGER NOT NULL,
    min_spend   INTEGER NOT NULL,
    auto        INTEGER NOT NULL,
    auto_paused TEXT,
    updated_by  TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE budget_decisions (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    day         TEXT NOT NULL,
    inputs_hash TEXT NOT NULL,
    status      TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    applied_by  TEXT,
    applied_at  INTEGER
);
CREATE INDEX budget_decisions_org ON budget_decisions (org_id, created_at);

CREATE TABLE budget_explanations (
    org_id      TEXT NOT NULL,
    decision_id TEXT NOT NULL,
    lang        TEXT NOT NULL,
    text        TEXT NOT NULL,
    source      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (org_id, decision_id, lang)
) WITHOUT ROWID;

CREATE TABLE budget_changes (
    org_id         TEXT NOT NULL,
    decision_id    TEXT NOT NULL,
    campaign_id    TEXT NOT NULL,
    budget_before  INTEGER NOT NULL,
    budget_after   INTEGER NOT NULL,
    applied_budget INTEGER,
    status         TEXT NOT NULL,
    error          TEXT,
    attempts       INTEGER NOT NULL,
    requested_by   TEXT NOT NULL,
    requested_at   INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (org_id, decision_id, campaign_id)
) WITHOUT ROWID;
