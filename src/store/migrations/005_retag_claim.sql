-- 005: one worker at a time tags every Story again after a taxonomy or model change.
-- The claim is a lease: a worker killed mid-way leaves it to expire, and the next job takes over.
alter table tagging_state add column retag_version text;
alter table tagging_state add column retag_until timestamptz;
