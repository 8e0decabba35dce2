-- Bulk writes to the trigram index: an import writes 5,000 contacts a transaction, some 200,000
-- trigrams. With FTS5's 1 MB of pending terms that flushed four small segments a batch, each
-- merged again and again; 4 MB flushes one a batch, and merging eight segments at a time instead
-- of four rewrites the index half as often. (Stored in the index's own config table: every
-- connection uses them.) Searches read the same merged segments soon after: `automerge` bounds
-- how many a query visits.
INSERT INTO contacts_search (contacts_search, rank) VALUES ('hashsize', 4194304);
INSERT INTO contacts_search (contacts_search, rank) VALUES ('automerge', 8);
