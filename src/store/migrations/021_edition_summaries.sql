-- 021: how long the Stories' summaries are in an Edition's email, chosen by its editors: 'short' (the first
-- sentence or two, about 200 characters: an email people read to the end) or 'full' (the summary as stored).
-- Existing Editions become short too: the sent ones' public pages are rendered again with it.
alter table editions add column summaries text not null default 'short' check (summaries in ('short', 'full'));
