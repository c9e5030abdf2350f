-- 003: repost detection. The dedupe index (one print per Item, its fingerprints in a
-- posting table shared by every worker), editors' decisions, pairs waiting for an
-- editor, links between Items of one series, and the log of Story merges.

-- What the decision rules read about an Item, made once when it is processed.
create table dedupe_prints (
  id            integer generated always as identity primary key, -- compact key for postings (2^31 Items)
  item_id       text not null unique references items (id) on delete cascade,
  content_hash  text not null,
  url           text,                                  -- canonical page address
  series_key    text,                                  -- a series part's title without its marker, folded
  series_part   integer,
  dated_from    date,                                  -- the days the Item may be from (an archive month spans them)
  dated_to      date,
  word_count    integer not null,
  shingles      bytea not null,                        -- 4-word shingle hashes in text order, int32 little-endian
  quoted        bytea not null,                        -- the distinct shingles wholly inside quotation marks, likewise
  fingerprints  integer[] not null,                    -- winnowed shingles: the index keys
  created_at    timestamptz not null default now()
);
create index dedupe_prints_content_hash on dedupe_prints (content_hash);
create index dedupe_prints_url on dedupe_prints (url) where url is not null;
create index dedupe_prints_series_key on dedupe_prints (series_key) where series_key is not null;

-- fingerprint -> prints holding it. No foreign key: rows are written and removed with
-- their print by the dedupe code, and a key check per row would halve ingest speed.
create table dedupe_postings (
  fingerprint  integer not null,
  print_id     integer not null,
  primary key (fingerprint, print_id)
);

-- A Story absorbed by another keeps its row, so its id still resolves.
alter table stories add column merged_into text references stories (id);
create index stories_live on stories (created_at) where merged_into is null;
create index stories_merged_into on stories (merged_into) where merged_into is not null;

-- Counts moves of Items between Stories (merges, splits): a worker whose lookup ran before the
-- dedupe lock re-reads its candidates' Stories only when this moved on meanwhile.
create sequence story_moves;

-- Every merge of two Stories: by the pipeline (an Item matched both) or by an editor.
create table story_merges (
  id          bigint generated always as identity primary key,
  from_story  text not null references stories (id),
  into_story  text not null references stories (id),
  by_item     text references items (id) on delete set null,
  editor      text,
  reason      jsonb not null default '{}',
  merged_at   timestamptz not null default now()
);

-- Editors' word on a pair of Items: the same Story, or kept apart. The pipeline never
-- merges Stories across an `apart` decision.
create table dedupe_decisions (
  item_a      text not null references items (id) on delete cascade,
  item_b      text not null references items (id) on delete cascade,
  verdict     text not null check (verdict in ('same', 'apart')),
  editor      text not null,
  note        text,
  decided_at  timestamptz not null default now(),
  primary key (item_a, item_b),
  check (item_a < item_b)
);
create index dedupe_decisions_item_b on dedupe_decisions (item_b);

-- Pairs for an editor: overlap in the uncertain band, or a match a decision blocked.
create table dedupe_reviews (
  item_id        text not null references items (id) on delete cascade,
  other_item_id  text not null references items (id) on delete cascade,
  kind           text not null check (kind in ('uncertain', 'blocked')),
  scores         jsonb,
  passage        text,
  status         text not null default 'pending' check (status in ('pending', 'merged', 'kept-apart')),
  created_at     timestamptz not null default now(),
  resolved_at    timestamptz,
  resolved_by    text,
  primary key (item_id, other_item_id)
);
create index dedupe_reviews_pending on dedupe_reviews (created_at) where status = 'pending';

-- Items whose Stories stay apart but belong together for readers (parts of one series).
create table item_links (
  item_id        text not null references items (id) on delete cascade,
  other_item_id  text not null references items (id) on delete cascade,
  kind           text not null check (kind in ('series')),
  primary key (item_id, other_item_id, kind)
);

-- Fingerprints held by so many Items that they are common phrases or stock paragraphs:
-- they suggest no candidate, and their postings are dropped.
create table dedupe_stock (
  fingerprint  integer primary key,
  found_at     timestamptz not null default now()
);
