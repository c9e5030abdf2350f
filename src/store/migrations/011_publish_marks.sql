-- 010: how far the Feeds are published. Each change to what they show (a process job, an Edition going
-- out) counts one more in `changed` and queues a publish for that count; a publish reads `changed` before
-- the Stories and, once its files are written, keeps it in `published`. A publish queued for a count
-- already published has nothing left to do; any other renders what the store holds then.
-- `series` names this store's counting in job ids: a new database on a Redis that still keeps the
-- finished jobs of an old one (a day) counts from 0 again under other ids.
create table publish_marks (
  id         boolean primary key default true check (id),
  series     text not null default substr(md5(random()::text), 1, 8),
  changed    bigint not null default 0,
  published  bigint not null default 0
);
insert into publish_marks default values;
