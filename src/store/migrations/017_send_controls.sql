-- 017: sending with eyes open (issue 19). Editors schedule, pause, resume and cancel a send from the review page.

-- A send an editor cancels: the Deliveries not yet made end `cancelled` (not `skipped`, which says why one
-- Subscriber got nothing), so the page can count them apart and list no addresses for them.
alter table deliveries drop constraint deliveries_status_check;
alter table deliveries add constraint deliveries_status_check
  check (status in ('pending', 'sending', 'sent', 'failed', 'bounced', 'skipped', 'cancelled'));

-- send_at now means "the due check has something to start": an approved Edition goes out then, or a sending
-- one an editor resumed from the web goes on (the web process queues no jobs; the workers' due check, or the
-- next `newsdesk run`, does). Sending clears it; an Edition already sending before this migration had it left.
update editions set send_at = null where status <> 'approved';
drop index editions_due;
create index editions_due on editions (send_at) where send_at is not null;
