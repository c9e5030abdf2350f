-- 006: weekly Editions, the Stories in each (as the editors will see and send them), and who changed what.

create table editions (
  id              text primary key,              -- the ISO week, e.g. 2026-W47; a recomposed week after a discard gets -2, -3 ...
  week            text not null,
  status          text not null check (status in ('draft', 'approved', 'sending', 'sent', 'discarded', 'skipped')),
  subject         text not null default '',
  intro           text not null default '',
  window_start    timestamptz not null,
  window_end      timestamptz not null,
  skipped_reason  text,
  composed_at     timestamptz not null default now(),
  -- Set by the first editor change: compose refreshes an untouched draft, never an edited one.
  edited_at       timestamptz,
  updated_at      timestamptz not null default now()
);
-- One live Edition per week; discarded ones stay for the record.
create unique index editions_one_per_week on editions (week) where status <> 'discarded';

-- The Stories of an Edition, in order, each as a snapshot of what the email shows (title, link,
-- Outlet, date, summary, who else carried it): a later change to the Story does not change an
-- approved or sent Edition.
create table edition_stories (
  edition_id  text not null references editions (id) on delete cascade,
  story_id    text not null references stories (id),
  section     text,                              -- Topic slug; null: Stories with no Topic
  position    integer not null,                  -- order in the whole Edition, 1-based
  entry       jsonb not null,
  primary key (edition_id, story_id)
);
create index edition_stories_story on edition_stories (story_id);

-- Every change to an Edition: compose, editors' edits, status moves.
create table edition_events (
  id          bigint generated always as identity primary key,
  edition_id  text not null references editions (id) on delete cascade,
  at          timestamptz not null default now(),
  editor      text,                              -- null: newsdesk itself (compose)
  action      text not null,
  detail      jsonb not null default '{}'
);
create index edition_events_edition on edition_events (edition_id, at);
