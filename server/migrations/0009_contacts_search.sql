-- Search without scanning: a trigram index over each contact's search text (names, e-mail,
-- phone digits), so any fragment of three characters or more is found through the index. It is
-- an external-content FTS5 table keyed by the contacts' rowid and kept in step by triggers.
-- (The rowid of a table without an INTEGER PRIMARY KEY may change on VACUUM: the store never
-- runs one; after a manual VACUUM, run `INSERT INTO contacts_search(contacts_search)
-- VALUES ('rebuild')`.)
CREATE VIRTUAL TABLE contacts_search USING fts5(
    search,
    content = 'contacts',
    content_rowid = 'rowid',
    tokenize = 'trigram'
);
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_search (rowid, search) VALUES (new.rowid, new.search);
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_search (contacts_search, rowid, search) VALUES ('delete', old.rowid, old.search);
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF search ON contacts BEGIN
    INSERT INTO contacts_search (contacts_search, rowid, search) VALUES ('delete', old.rowid, old.search);
    INSERT INTO contacts_search (rowid, search) VALUES (new.rowid, new.search);
END;
INSERT INTO contacts_search (contacts_search) VALUES ('rebuild');
