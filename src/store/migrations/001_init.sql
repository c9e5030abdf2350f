-- 001: Sources, Items, Appearances, Stories and the run log.
-- Runs unchanged on PostgreSQL and on PGlite (the embedded store).

create table sources (
  id          text primary key,                 -- from config, stable
  kind        text not null,                    -- 'archive' (feed Sources come with their own migration)
  name        text not null,
  location    text not null,                    -- archive folder or feed address
  settings    jsonb not null default '{}',      -- per-kind settings from config (limits, ...)
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

-- An Item is one entry as a Source gave it, before any merging.
create table items (
  id             text primary key,              -- derived from (source_id, key): survives re-ingestion
  source_id      text not null references sources (id),
  key            text not null,                 -- the Source's own identity for the entry
  title          text not null,
  url            text,
  attribution    text,                          -- verbatim credit line, e.g. 'VoA/South China Morning Post'
  outlets        text[] not null default '{}',
  author         text,
  published_at   timestamptz,                   -- unknown stays null, never "now"
  archive_month  text,                          -- 'YYYY-MM' when an archive page dates the post
  categories     text[] not null default '{}',
  tags           text[] not null default '{}',
  content_html   text not null,                 -- sanitised
  content_text   text not null,
  summary        text not null,
  truncated      boolean not null default false,
  content_hash   text not null,                 -- of the normalised text: finds exact reposts
  first_seen_at  timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  unique (source_id, key)
);
create index items_content_hash on items (content_hash);

-- One place an Item was seen: an archive page, a feed fetch.
create table appearances (
  item_id        text not null references items (id) on delete cascade,
  location       text not null,                 -- archive file name, page address or feed address
  position       integer,                       -- order on the page, 1-based
  context        jsonb not null default '{}',   -- heading, category, month, tag, author
  first_seen_at  timestamptz not null default now(),
  last_seen_at   timestamptz not null default now(),
  primary key (item_id, location)
);

-- A Story is the same piece of journalism; its id never changes once published.
create table stories (
  id                      text primary key,
  representative_item_id  text not null references items (id),
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now()
);

create table story_items (
  item_id   text primary key references items (id) on delete cascade,
  story_id  text not null references stories (id) on delete cascade,
  role      text not null,                      -- 'original' | 'repost'
  reason    jsonb not null default '{}',        -- why the Item joined (rule, evidence)
  added_at  timestamptz not null default now()
);
create index story_items_story on story_items (story_id);

-- The run log: one row per command or job run, with what it did and what failed.
create table runs (
  id           text primary key,
  command      text not null,
  started_at   timestamptz not null default now(),
  finished_at  timestamptz,
  status       text not null default 'running' check (status in ('running', 'ok', 'partial', 'failed')),
  stats        jsonb not null default '{}',
  errors       jsonb not null default '[]'
);
