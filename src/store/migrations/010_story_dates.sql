-- 010: an Edition entry's date. Entries stored `date`: the representative Item's own date, else the
-- first day of its archive month, else when the Story was first seen, a date nobody gave (a 2017
-- story shown as published the day it was read). They store `published` now: the earliest date any
-- of the Story's Items gives, {"at": <moment>, "precision": "time" | "month"} (a month is its first
-- instant, shown as the month only), or null when none gives one. Stories' dates themselves are not
-- stored: they are read from the members every time (src/store/stories.ts, STORY_DATES), so a merge
-- or a split re-derives them. This rewrites the one field of the entries that was wrong, in every
-- Edition, sent ones too: their public pages must not keep showing a made-up date.
update edition_stories es
set entry = (es.entry - 'date') || jsonb_build_object('published',
  case
    when d.month_start is not null and (d.published_at is null or d.month_start <= d.published_at)
      then jsonb_build_object('at', to_char(d.month_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'precision', 'month')
    when d.published_at is not null
      then jsonb_build_object('at', to_char(d.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'precision', 'time')
  end)
from stories s,
  lateral (
    select x.published_at, to_date(x.archive_month, 'YYYY-MM')::timestamp at time zone 'UTC' as month_start
    from (select min(m.published_at) as published_at,
            min(m.archive_month) filter (where m.archive_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$') as archive_month
          -- A Story merged since keeps its row; its Items are in the Story it went into.
          from story_items sm join items m on m.id = sm.item_id where sm.story_id = coalesce(s.merged_into, s.id)) x
  ) d
where s.id = es.story_id and es.entry ? 'date';
