-- 002: feed Sources: where they live now, how their last fetches went, when to read them next.

alter table sources add column enabled boolean not null default true;
-- The address read now: the configured one, or where a 301/308 or feed discovery led.
alter table sources add column url text;
-- Validators of the last successful fetch, sent back for a conditional GET.
alter table sources add column etag text;
alter table sources add column last_modified text;
-- 'new' (never read), 'ok', 'retrying' (failing, backing off), 'failing' (failing for long:
-- shown to editors, still retried at the backoff cap; never silently disabled).
alter table sources add column state text not null default 'new';
alter table sources add column last_status text;          -- the classified outcome: ok, not-modified, dns, timeout, ...
alter table sources add column last_http_status integer;
alter table sources add column last_message text;
alter table sources add column last_fetch_at timestamptz;
alter table sources add column last_success_at timestamptz;
alter table sources add column next_fetch_at timestamptz;
alter table sources add column error_streak integer not null default 0;

-- Every fetch, for the health history an operator looks at.
create table fetches (
  id           bigint generated always as identity primary key,
  source_id    text not null references sources (id) on delete cascade,
  at           timestamptz not null default now(),
  url          text not null,
  status       text not null,
  http_status  integer,
  message      text,
  elapsed_ms   integer
);
create index fetches_source_at on fetches (source_id, at desc);
