-- 022: the Story search index takes new Items in larger batches (issue 17's ingest rate). A GIN index
-- first lists new entries in a pending list and merges them into its tree when the list outgrows
-- gin_pending_list_limit (4 MB by default), or when autovacuum visits the table. Each Item adds about a
-- hundred words, each a change somewhere in the tree: merged a few hundred Items at a time, that was
-- most of what storing an Item cost PostgreSQL (measured on the dedupe bench at 100,000 Stories, server
-- CPU per Item: 1.46 ms with the index, 0.99 ms without it). Merged in larger batches, one word's new
-- Items go in together: 64 MB brought it to about 1.13 ms. The price is on the search side: a search
-- also reads the pending list (a few MB between autovacuum's visits: 15-20 ms seen at 100,000 Items).
alter index items_search set (gin_pending_list_limit = 65536);
