/**
 * Editions in the store: the week's candidate Stories for compose, composed
 * Editions saved (an untouched draft refreshed, an edited one kept), and
 * Editions read back with their entries in order and their history.
 */
import type { CandidateStory, ComposedEdition } from '../digest/compose.js';
import { readPublicationDate } from '../dedupe/story-date.js';
import { checkMove, type EditionStatus } from '../digest/edition-status.js';
import type { Edition, SentEdition, StoredEntry } from '../digest/edition.js';
import { NewsdeskError, NotFoundError } from '../errors.js';
import type { EditionWindow } from '../week.js';
import type { Db, Queryable } from './db.js';
import { FROM_OUTLET, STORY_DATES, storyPublication } from './stories.js';

/** An arbitrary constant: one compose at a time decides which Edition a week has. */
const composeLock = 715_400_023;

/** Stories first seen in the window that no other week's sent (or sending) Edition carried. */
export async function editionCandidates(db: Queryable, window: EditionWindow): Promise<CandidateStory[]> {
  const rows = await db.query<{ id: string }>(
    `select s.id from stories s
     where s.merged_into is null and s.created_at >= $1 and s.created_at < $2
       and not exists (select 1 from edition_stories es join editions e on e.id = es.edition_id
                       where es.story_id = s.id and e.status in ('sending', 'sent') and e.week <> $3)`,
    [window.start, window.end, window.week],
  );
  return candidateStories(db, rows.map((row) => row.id));
}

/** These Stories (merged ones left out) as compose reads them: the representative's fields, Topics, who else carried each. */
export async function candidateStories(db: Queryable, storyIds: string[]): Promise<CandidateStory[]> {
  const rows = await db.query<
    Omit<CandidateStory, 'reportedBy' | 'repostedBy' | 'published'> & { representative: string; publishedAt: Date | null; archiveMonth: string | null }
  >(
    `select s.id, i.title, i.url, i.outlets[1] as outlet,
       d.published_at as "publishedAt", d.archive_month as "archiveMonth", s.created_at as "firstSeenAt",
       i.content_text as text, s.representative_item_id as representative,
       array(select t.slug from story_topics t where t.story_id = s.id order by t.score desc, t.slug) as topics
     from stories s join items i on i.id = s.representative_item_id ${STORY_DATES}
     where s.id = any($1) and s.merged_into is null order by s.id`,
    [storyIds],
  );
  const stories = rows.map(({ publishedAt, archiveMonth, ...story }) => ({ ...story, published: storyPublication({ publishedAt, archiveMonth }) }));
  const members = await db.query<{ storyId: string; itemId: string; outlets: string[]; sourceName: string; fromOutlet: boolean }>(
    `select si.story_id as "storyId", i.id as "itemId", i.outlets, src.name as "sourceName", ${FROM_OUTLET} as "fromOutlet"
     from story_items si join items i on i.id = si.item_id join sources src on src.id = i.source_id
     where si.story_id = any($1) order by i.first_seen_at, i.id`,
    [stories.map((story) => story.id)],
  );
  // Grouped once: a publish asks for thousands of Stories at a time (their public pages).
  const byStory = new Map<string, typeof members>();
  for (const member of members) {
    const list = byStory.get(member.storyId);
    if (list) list.push(member);
    else byStory.set(member.storyId, [member]);
  }
  return stories.map(({ representative, ...story }) => {
    const others = (byStory.get(story.id) ?? []).filter((m) => m.itemId !== representative);
    const own = new Set(story.outlet ? [story.outlet] : []);
    const reportedBy = unique(others.filter((m) => m.fromOutlet).flatMap((m) => (m.outlets.length > 0 ? m.outlets : [m.sourceName]))).filter((o) => !own.has(o));
    const repostedBy = unique(others.filter((m) => !m.fromOutlet).map((m) => m.sourceName));
    return { ...story, reportedBy, repostedBy };
  });
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

export type SaveOutcome = 'composed' | 'recomposed' | 'kept';

/**
 * Saves a composed Edition for its week. A week with no live Edition gets one;
 * an untouched draft or a skipped week is composed again; an Edition an editor
 * changed, approved or sent is kept as it is.
 */
export async function saveComposedEdition(
  db: Db,
  composed: ComposedEdition,
): Promise<{
  id: string;
  outcome: SaveOutcome;
  /** The stored Edition's status: a kept one may be approved, sending or sent. */
  status: EditionStatus;
}> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [composeLock]);
    const [live] = await tx.query<{ id: string; status: EditionStatus; editedAt: Date | null }>(
      `select id, status, edited_at as "editedAt" from editions where week = $1 and status <> 'discarded'`,
      [composed.week],
    );
    const refreshable = live && (live.status === 'skipped' || (live.status === 'draft' && live.editedAt === null));
    if (live && !refreshable) return { id: live.id, outcome: 'kept' as const, status: live.status };

    const id = live?.id ?? (await freeId(tx, composed.week));
    const fields = [
      composed.status,
      composed.status === 'draft' ? composed.subject : '',
      composed.window.start,
      composed.window.end,
      composed.status === 'skipped' ? composed.reason : null,
    ];
    if (live) {
      await tx.query(
        `update editions set status = $2, subject = $3, window_start = $4, window_end = $5, skipped_reason = $6,
           composed_at = now(), updated_at = now() where id = $1`,
        [id, ...fields],
      );
      await tx.query('delete from edition_stories where edition_id = $1', [id]);
    } else {
      await tx.query(
        `insert into editions (id, week, status, subject, window_start, window_end, skipped_reason) values ($1, $2, $3, $4, $5, $6, $7)`,
        [id, composed.week, ...fields],
      );
    }
    if (composed.status === 'draft') {
      const entries = composed.sections.flatMap((section) => section.entries.map((entry) => ({ ...entry, section: section.slug, sectionLabel: section.label })));
      await tx.query(
        `insert into edition_stories (edition_id, story_id, section, position, entry)
         select $1, e.story_id, e.section, e.position, e.entry from unnest($2::text[], $3::text[], $4::int[], $5::jsonb[]) as e (story_id, section, position, entry)`,
        [id, entries.map((e) => e.storyId), entries.map((e) => e.section), entries.map((_, i) => i + 1), entries.map((e) => JSON.stringify(e))],
      );
    }
    const outcome: SaveOutcome = live ? 'recomposed' : 'composed';
    const detail = composed.status === 'draft' ? { stories: composed.sections.reduce((n, s) => n + s.entries.length, 0) } : { skipped: composed.reason };
    await recordEvent(tx, id, null, outcome, detail);
    return { id, outcome, status: composed.status };
  });
}

/** The week's id, or the week with -2, -3 ... after discarded ones. */
async function freeId(tx: Queryable, week: string): Promise<string> {
  const [row] = await tx.query<{ count: number }>('select count(*)::int as count from editions where week = $1', [week]);
  return row!.count === 0 ? week : `${week}-${row!.count + 1}`;
}

export async function recordEvent(db: Queryable, editionId: string, editor: string | null, action: string, detail: Record<string, unknown> = {}): Promise<void> {
  await db.query('insert into edition_events (edition_id, editor, action, detail) values ($1, $2, $3, $4)', [editionId, editor, action, JSON.stringify(detail)]);
}

/** Read from `editions e`. */
const editionColumns = `e.id, e.week, e.status, e.subject, e.intro, e.summaries, e.window_start as "windowStart", e.window_end as "windowEnd",
  e.skipped_reason as "skippedReason", e.composed_at as "composedAt", e.edited_at as "editedAt", e.updated_at as "updatedAt",
  exists (select 1 from edition_events ev where ev.edition_id = e.id and ev.action = 'subject') as "subjectEdited"`;

export async function getEdition(db: Queryable, id: string): Promise<Edition | undefined> {
  const [edition] = await db.query<Omit<Edition, 'entries'>>(`select ${editionColumns} from editions e where e.id = $1`, [id]);
  if (!edition) return undefined;
  const rows = await db.query<{ entry: StoredEntry }>('select entry from edition_stories where edition_id = $1 order by position', [id]);
  return { ...edition, entries: rows.map(({ entry }) => readEntry(entry)) };
}

/** A stored entry as compose made it: its date travels through JSON as a string. */
function readEntry(entry: StoredEntry): StoredEntry {
  return { ...entry, published: readPublicationDate(entry.published) };
}

/**
 * Every Edition sent or being sent, with its entries, newest week first: the
 * public pages and the Editions Feed. Being sent counts: the emails link to the
 * page ("read it in your browser") from the first message on.
 */
export async function sentEditions(db: Queryable): Promise<SentEdition[]> {
  const editions = await db.query<Omit<SentEdition, 'entries'>>(
    `select ${editionColumns},
       coalesce((select max(ev.at) from edition_events ev where ev.edition_id = e.id and ev.action = 'sent'),
                (select max(ev.at) from edition_events ev where ev.edition_id = e.id and ev.action = 'sending'), e.window_end) as "sentAt"
     from editions e where e.status in ('sending', 'sent') order by week desc, id desc`,
  );
  const rows = await db.query<{ editionId: string; entry: StoredEntry }>(
    `select edition_id as "editionId", entry from edition_stories where edition_id = any($1) order by edition_id, position`,
    [editions.map((edition) => edition.id)],
  );
  const entries = new Map<string, StoredEntry[]>();
  for (const { editionId, entry } of rows) {
    const list = entries.get(editionId) ?? [];
    list.push(readEntry(entry));
    entries.set(editionId, list);
  }
  return editions.map((edition) => ({ ...edition, entries: entries.get(edition.id) ?? [] }));
}

export async function listEditions(db: Queryable, options: { limit?: number } = {}): Promise<(Omit<Edition, 'entries'> & { stories: number; sendAt: Date | null })[]> {
  return db.query(
    `select ${editionColumns}, e.send_at as "sendAt", (select count(*)::int from edition_stories es where es.edition_id = e.id) as stories
     from editions e order by week desc, composed_at desc limit $1`,
    [options.limit ?? 100],
  );
}

export async function editionEvents(db: Queryable, id: string): Promise<{ at: Date; editor: string | null; action: string; detail: Record<string, unknown> }[]> {
  return db.query('select at, editor, action, detail from edition_events where edition_id = $1 order by id', [id]);
}

/**
 * Every change of an Edition's status is written here, after the move is checked
 * by the one table of allowed moves (src/digest/edition-status.ts; staying put is
 * no move), with what the move takes along: a send time belongs to `approved`
 * and ends on leaving it; a pause belongs to one send and ends when the Edition
 * enters or leaves `sending`; an editor's change stamps edited_at. The caller
 * holds the row's lock (select ... for update) in the same transaction.
 */
export async function setEditionStatus(tx: Queryable, id: string, from: EditionStatus, to: EditionStatus, options: { edited?: boolean } = {}): Promise<void> {
  if (to !== from) checkMove(id, from, to);
  await tx.query(
    `update editions set status = $2, updated_at = now(),
       send_at = case when $2 = 'approved' then send_at end,
       paused_at = case when $2 = 'sending' and status = 'sending' then paused_at end,
       edited_at = case when $3 then now() else edited_at end
     where id = $1`,
    [id, to, options.edited === true],
  );
}

/**
 * Moves an Edition to another state, checked by the one table of allowed moves
 * (src/digest/edition-status.ts), and records who did it. The row is locked, so
 * two editors approving and discarding at once cannot both win.
 */
export async function moveEdition(db: Db, id: string, to: EditionStatus, editor: string | null): Promise<{ from: EditionStatus; to: EditionStatus }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: EditionStatus }>('select status from editions where id = $1 for update', [id]);
    if (!row) throw new NotFoundError('Edition', id);
    // Asked for the state it is in (approving an approved Edition): refused, naming what it can become.
    if (row.status === to) checkMove(id, row.status, to);
    await setEditionStatus(tx, id, row.status, to);
    await recordEvent(tx, id, editor, to === 'draft' ? 'reopened' : to, { from: row.status });
    return { from: row.status, to };
  });
}

/**
 * Approves an Edition and says when it goes out: `sendAt` now or later (the
 * workers' due check, or the next `newsdesk run`, starts sending then), or null
 * for `newsdesk edition send` (or the review page's Send step) only.
 */
export async function approveEdition(db: Db, id: string, editor: string | null, sendAt: Date | null): Promise<void> {
  await moveEdition(db, id, 'approved', editor);
  if (sendAt !== null) await scheduleSend(db, id, editor, sendAt);
}

/**
 * Says when an approved Edition goes out (the due check starts it then). With
 * `version`, the Edition's last change as the editor saw it on the confirmation:
 * an Edition changed since (edited and approved again) is refused, so nobody
 * sends what they did not see.
 */
export async function scheduleSend(db: Db, id: string, editor: string | null, sendAt: Date, options: { version?: Date } = {}): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: EditionStatus; updatedAt: Date }>('select status, updated_at as "updatedAt" from editions where id = $1 for update', [id]);
    if (!row) throw new NotFoundError('Edition', id);
    if (row.status !== 'approved') {
      throw new NewsdeskError('usage', `edition ${id}: is ${row.status}; only an approved Edition can be sent${row.status === 'draft' ? ' (approve it first)' : ''}`);
    }
    if (options.version && options.version.getTime() !== row.updatedAt.getTime()) {
      throw new NewsdeskError('usage', `edition ${id}: it changed after the confirmation was shown; look at it again before sending`);
    }
    await tx.query('update editions set send_at = $2 where id = $1', [id, sendAt]);
    await recordEvent(tx, id, editor, 'scheduled', { sendAt: sendAt.toISOString() });
  });
}

/** Takes the send time from an approved Edition: it stays approved, and goes out only when someone sends it again. */
export async function unscheduleSend(db: Db, id: string, editor: string | null): Promise<{ sendAt: Date }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: EditionStatus; sendAt: Date | null }>('select status, send_at as "sendAt" from editions where id = $1 for update', [id]);
    if (!row) throw new NotFoundError('Edition', id);
    if (row.status !== 'approved' || row.sendAt === null) throw new NewsdeskError('usage', `edition ${id}: no send is scheduled (it is ${row.status})`);
    await tx.query('update editions set send_at = null where id = $1', [id]);
    await recordEvent(tx, id, editor, 'cancelled', { sendAt: row.sendAt.toISOString() });
    return { sendAt: row.sendAt };
  });
}

/** Approved Editions whose send time has come, oldest first. */
export async function dueEditions(db: Queryable, now: Date): Promise<string[]> {
  const rows = await db.query<{ id: string }>(`select id from editions where status = 'approved' and send_at <= $1 order by send_at, id`, [now]);
  return rows.map((row) => row.id);
}

/** The Topics each Story carries now (slugs, strongest first): the review page shows them beside the section. */
export async function storyTopics(db: Queryable, storyIds: string[]): Promise<Map<string, string[]>> {
  const rows = await db.query<{ storyId: string; topics: string[] }>(
    `select story_id as "storyId", array_agg(slug order by score desc, slug) as topics from story_topics where story_id = any($1) group by story_id`,
    [storyIds],
  );
  return new Map(rows.map((row) => [row.storyId, row.topics]));
}
