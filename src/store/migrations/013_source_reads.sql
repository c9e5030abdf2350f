-- 010: what the last read of a Source found wrong (files or entries refused), for every kind:
-- archive folders, feed files and exports are read from disk, not fetched, and their
-- reads now count in the Source's health too (last_fetch_at is then the last read).
-- Null: not read since this column exists.

alter table sources add column last_problems integer;
