/**
 * Story search: live Stories by words in their Items' titles and text
 * (PostgreSQL full-text search on `items.search`, migration 018), best first,
 * each with a passage of its best-matching Item where the words are marked.
 * Editors use it to pick the other Story of a merge or a keep-apart and a
 * Story to add to an Edition. A Story is found through the Items in it now,
 * so a Story merged away is never a result: its Items are found in the Story
 * they went into. The words are read by websearch_to_tsquery, which takes
 * any text (quotes, `or`, `-word`) and never fails on it.
 */
import type { PublicationDate } from '../dedupe/story-date.js';
import type { Queryable } from './db.js';
import { STORY_DATES, storyPublication } from './stories.js';

/** A piece of a snippet: the words the search matched are `match`. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

export interface FoundStory {
  id: string;
  /** Its representative Item's title. */
  title: string;
  outlets: string[];
  /** The earliest date its Items give; null when none does. */
  published: PublicationDate | null;
  /** Members of the Story. */
  items: number;
  /** How well its best-matching Item matches (ts_rank: a title counts ten times its text); null when not found by words. */
  rank: number | null;
  /** Named by its id, or by an id merged into it, rather than found by words. */
  byId: boolean;
  /** A passage of its best-matching Item's text, the matched words marked; empty when not found by words. */
  snippet: SnippetPart[];
}

export interface SearchOptions {
  /** At most this many (default 20). */
  limit?: number;
  /** Leave out the Stories already in this Edition. */
  notInEdition?: string;
  /** Leave out this Story (the one an editor merges into). */
  except?: string;
}

/** Longer search text is cut here: a search is a few words or an id, and the cut keeps a pasted page from costing much. */
const MAX_SEARCH = 300;

// ts_headline marks matched words with these; they are removed from the text first, so every mark is ts_headline's.
const START = '\u0002';
const STOP = '\u0003';
const HEADLINE_OPTIONS = `'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "'`;

/** The snippet ts_headline gave, cut at its marks. */
export function snippetParts(headline: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, piece] of headline.split(START).entries()) {
    const [marked, rest] = i === 0 ? [null, piece] : [piece.split(STOP)[0]!, piece.split(STOP).slice(1).join('')];
    if (marked) parts.push({ text: marked, match: true });
    if (rest) parts.push({ text: rest, match: false });
  }
  return parts;
}

/** The text as the database may take it: no NUL (PostgreSQL text cannot hold one), no marks of ours, one line, not too long. */
export function searchText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_SEARCH);
}

type Row = Omit<FoundStory, 'published' | 'snippet' | 'byId'> & { publishedAt: Date | null; archiveMonth: string | null; headline: string | null };

/**
 * The live Stories `text` finds, best first (equal ones newest first, then by
 * id). A Story whose id (or an id merged into it) is the whole text comes
 * first. Without words (blank text) the newest Stories by publication date,
 * as `stories list` orders them. Odd text finds nothing rather than failing.
 */
export async function searchStories(db: Queryable, text: string, options: SearchOptions = {}): Promise<FoundStory[]> {
  const words = searchText(text);
  const limit = options.limit ?? 20;
  const filters = [options.notInEdition ?? null, options.except ?? null];
  const named = /^\S+$/.test(words) ? await storyNamed(db, words, options, filters) : [];
  const rest = words === '' ? await newest(db, limit, filters) : await matching(db, words, limit, filters);
  return [...named.map((row) => found(row, true)), ...rest.filter((row) => !named.some((n) => n.id === row.id)).map((row) => found(row, false))].slice(0, limit);
}

function found({ publishedAt, archiveMonth, headline, ...row }: Row, byId: boolean): FoundStory {
  return { ...row, published: storyPublication({ publishedAt, archiveMonth }), byId, snippet: headline ? snippetParts(headline) : [] };
}

/** SQL over `s` (stories), parameters $1 (an Edition id or null) and $2 (a Story id or null): the options' filters. */
const KEPT = `s.merged_into is null
  and ($1::text is null or not exists (select 1 from edition_stories es where es.edition_id = $1 and es.story_id = s.id))
  and ($2::text is null or s.id <> $2)`;

/** SQL: the columns of a Row over `s`, its representative `i`, the dates `d`; `rank` and `headline` come from the caller. */
const COLUMNS = `s.id, i.title, i.outlets, d.published_at as "publishedAt", d.archive_month as "archiveMonth",
  (select count(*)::int from story_items sm where sm.story_id = s.id) as items`;

async function storyNamed(db: Queryable, id: string, options: SearchOptions, filters: (string | null)[]): Promise<Row[]> {
  if (options.limit === 0) return [];
  return db.query<Row>(
    `select ${COLUMNS}, null::real as rank, null as headline
     from stories named join stories s on s.id = coalesce(named.merged_into, named.id)
     join items i on i.id = s.representative_item_id ${STORY_DATES}
     where named.id = $3 and ${KEPT}`,
    [...filters, id],
  );
}

/**
 * Stories a listing without words orders by date: the most recently first
 * seen. A Story is first seen after it is published, so these hold every
 * Story published since the oldest of them; dating all the others would cost
 * a lookup of their Items each.
 */
const RECENT_CANDIDATES = 1_000;

async function newest(db: Queryable, limit: number, filters: (string | null)[]): Promise<Row[]> {
  return db.query<Row>(
    `select ${COLUMNS}, null::real as rank, null as headline
     from (select s.* from stories s where ${KEPT} order by s.created_at desc, s.id limit $4) s
     join items i on i.id = s.representative_item_id ${STORY_DATES}
     order by coalesce(d.known_at, s.created_at) desc, s.id limit $3`,
    [...filters, limit, RECENT_CANDIDATES],
  );
}

/**
 * Every matching Item ranked, the best of each Story kept (its representative
 * when it ties), the Stories ordered; only the `limit` shown get a headline,
 * which reads the whole text again.
 */
async function matching(db: Queryable, words: string, limit: number, filters: (string | null)[]): Promise<Row[]> {
  return db.query<Row>(
    `with q as (select websearch_to_tsquery('english', $3) as query),
     best as (
       select distinct on (si.story_id) si.story_id, si.item_id, ts_rank(m.search, q.query) as rank
       from q cross join items m join story_items si on si.item_id = m.id join stories r on r.id = si.story_id
       where m.search @@ q.query
       order by si.story_id, rank desc, (si.item_id = r.representative_item_id) desc, si.item_id
     ),
     top as (
       select ${COLUMNS}, b.rank, b.item_id as matched, coalesce(d.known_at, s.created_at) as known
       from best b join stories s on s.id = b.story_id join items i on i.id = s.representative_item_id ${STORY_DATES}
       where ${KEPT}
       order by b.rank desc, coalesce(d.known_at, s.created_at) desc, s.id limit $4
     )
     select top.id, top.title, top.outlets, top."publishedAt", top."archiveMonth", top.items, top.rank,
       ts_headline('english', translate(m.content_text, chr(2) || chr(3), '  '), q.query, ${HEADLINE_OPTIONS}) as headline
     from top join items m on m.id = top.matched cross join q
     order by top.rank desc, top.known desc, top.id`,
    [...filters, words, limit],
  );
}
