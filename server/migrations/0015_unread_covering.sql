-- The navigation's unread count (on every app page) is answered from the index alone: with the
-- count in the index, summing a thousand unread conversations no longer reads a thousand rows.
DROP INDEX conversations_unread;
CREATE INDEX conversations_unread ON conversations (org_id, unread) WHERE unread > 0;
