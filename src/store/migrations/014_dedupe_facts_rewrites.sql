-- 014: evidence for templated releases and rewritten copies (issue 17). Prints made before
-- this have no facts, skeleton or title key: `newsdesk stories reindex` fills them in.

-- The title's folded words, when the Item has a title of its own (an untitled page's opening
-- words are no title): a spun copy keeps the title and shares few shingles, so it is found by it.
alter table dedupe_prints add column title_key text;
create index dedupe_prints_title_key on dedupe_prints (title_key) where title_key is not null;
-- Names, numbers and dates with their word positions, as JSON: [at, words, kind, as printed, value].
-- Text, not jsonb: never queried into, and read back only for the few pairs that need them.
alter table dedupe_prints add column facts text not null default '[]';
-- Function-word 8-gram hashes outside quotes, sorted, int32 little-endian (src/dedupe/rewrite.ts).
alter table dedupe_prints add column skeleton bytea not null default ''::bytea;

-- Stories kept apart because their texts are one template filled with different facts: linked,
-- with the facts that differ, so an editor sees why two look-alike releases are two Stories.
alter table item_links drop constraint item_links_kind_check;
alter table item_links add constraint item_links_kind_check check (kind in ('series', 'template'));
alter table item_links add column reason jsonb;
