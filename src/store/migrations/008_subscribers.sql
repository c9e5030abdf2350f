-- 008: Subscribers, the addresses never to mail again, and Deliveries (one Edition to one Subscriber).

create table subscribers (
  id               uuid primary key,                -- random (crypto.randomUUID): it is in signed links, so never guessable
  email            text not null unique check (email = lower(email)),
  name             text,
  status           text not null check (status in ('pending', 'confirmed', 'unsubscribed', 'bounced', 'complained')),
  topics           text[] not null default '{}',    -- Topic slugs wanted; empty: every section
  consent          text not null,                   -- how consent was given: 'form <ip>', 'import <file>: <column value>', 'cli <editor>'
  created_at       timestamptz not null default now(),
  confirmed_at     timestamptz,
  updated_at       timestamptz not null default now()
);
create index subscribers_confirmed on subscribers (id) where status = 'confirmed';

-- Never mailed again, whatever a later import or form says: unsubscribed, bounced (5xx), complained.
create table suppressions (
  email   text primary key check (email = lower(email)),
  reason  text not null check (reason in ('unsubscribed', 'bounced', 'complained')),
  detail  text,
  at      timestamptz not null default now()
);

-- One Edition to one Subscriber: created for every confirmed Subscriber when sending starts, then
-- pending -> sending (the SMTP transaction is under way) -> sent | failed | bounced; skipped when the
-- address was suppressed meanwhile. A worker killed mid-send leaves `sending` rows: they are sent again
-- with the same Message-ID, the only case where a Subscriber may get the Edition twice.
create table deliveries (
  edition_id     text not null references editions (id),
  subscriber_id  uuid not null references subscribers (id),
  batch          integer not null,
  status         text not null check (status in ('pending', 'sending', 'sent', 'failed', 'bounced', 'skipped')),
  message_id     text not null unique,
  attempts       integer not null default 0,
  last_error     text,
  created_at     timestamptz not null default now(),
  sending_at     timestamptz,
  sent_at        timestamptz,
  primary key (edition_id, subscriber_id)
);
create index deliveries_batch on deliveries (edition_id, batch, status);

-- Sending an Edition can be paused by an editor and resumed; the send jobs wait meanwhile.
alter table editions add column paused_at timestamptz;

-- Secrets the deployment makes itself when the config gives none (the key that signs email links),
-- shared by every worker and web process through the store.
create table app_secrets (
  name        text primary key,
  value       text not null,
  created_at  timestamptz not null default now()
);
