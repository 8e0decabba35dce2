-- Inbox search by message text without scanning every message: a trigram index over what each
-- message says (text, a file's caption, a button's title), contentless and keyed by the messages'
-- rowid, kept in step by triggers. (As for contacts_search: the store never runs VACUUM.)
CREATE VIRTUAL TABLE messages_search USING fts5(
    text,
    content = '',
    contentless_delete = 1,
    tokenize = 'trigram'
);
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_search (rowid, text) VALUES (new.rowid, coalesce(json_extract(new.content, '$.body'),
        json_extract(new.content, '$.caption'), json_extract(new.content, '$.title'), ''));
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    DELETE FROM messages_search WHERE rowid = old.rowid;
END;
CREATE TRIGGER messages_search_update AFTER UPDATE OF content ON messages BEGIN
    DELETE FROM messages_search WHERE rowid = old.rowid;
    INSERT INTO messages_search (rowid, text) VALUES (new.rowid, coalesce(json_extract(new.content, '$.body'),
        json_extract(new.content, '$.caption'), json_extract(new.content, '$.title'), ''));
END;
INSERT INTO messages_search (rowid, text)
    SELECT rowid, coalesce(json_extract(content, '$.body'), json_extract(content, '$.caption'),
                           json_extract(content, '$.title'), '') FROM messages;
INSERT INTO messages_search (messages_search, rank) VALUES ('hashsize', 4194304);
