-- What-if plans saved to share: a budget per campaign over one proposal, kept as JSON (the
-- service alone reads it). A link names the draft; only its organisation's members open it.
CREATE TABLE budget_drafts (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    decision_id TEXT NOT NULL,
    budgets     TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
