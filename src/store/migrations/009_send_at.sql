-- 009: when an approved Edition goes out. Set at approval: now, or a time the editor chose; null: only
-- `newsdesk edition send` sends it. Cleared when the Edition leaves `approved` (an edit returns it to draft).
alter table editions add column send_at timestamptz;
create index editions_due on editions (send_at) where status = 'approved';
