-- The order an agent records on a conversation (what the customer bought), for the ads
-- dashboard's revenue per click-to-WhatsApp campaign; and the indexes the dashboards read by
-- time: conversations opened in a period, messages of a period.
CREATE TABLE conversation_orders (
    org_id          TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    value           INTEGER NOT NULL,   -- minor units of `currency`
    currency        TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     INTEGER NOT NULL,
    PRIMARY KEY (org_id, conversation_id)
) WITHOUT ROWID;
CREATE INDEX conversations_opened ON conversations (org_id, created_at);
CREATE INDEX messages_period ON messages (org_id, created_at);
CREATE INDEX messages_replied ON messages (conversation_id, direction, created_at);
