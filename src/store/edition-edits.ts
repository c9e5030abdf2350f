/**
 * Editors' changes to an Edition: the order of its Stories, removing one,
 * adding a recent Story, moving one to another section, and the subject, intro
 * and a Story's summary. Each change is checked against the Edition's state
 * (only drafts and approved Editions change; an approved one returns to draft,
 * as DESIGN says), marks the Edition as edited (compose keeps it from then on)
 * and is recorded in its history with who made it.
 */
import { buildEntry } from '../digest/compose.js';
import { isEditable, type EditionStatus } from '../digest/edition-status.js';
import { SUMMARY_FORMS, type SummaryForm } from '../digest/summary.js';
import { NewsdeskError } from '../errors.js';
import type { Db, Queryable } from './db.js';
import { candidateStories, recordEvent, setEditionStatus } from './editions.js';
import type { StoredEntry } from '../digest/edition.js';

export type EditionChange =
  | { kind: 'subject'; subject: string }
  | { kind: 'intro'; intro: string }
  /** How long the summaries in the email are (021): short or full. */
  | { kind: 'summaries'; summaries: SummaryForm }
  | { kind: 'summary'; storyId: string; summary: string }
  /** Every Story of the Edition, in the new order. */
  | { kind: 'order'; storyIds: string[] }
  | { kind: 'remove'; storyId: string }
  | { kind: 'add'; storyId: string; section: { slug: string | null; label: string } }
  | { kind: 'move'; storyId: string; section: { slug: string | null; label: string } }
  | { kind: 'pin'; storyId: string; pinned: boolean };

const MAX_SUBJECT = 150;
const MAX_INTRO = 2_000;
const MAX_SUMMARY = 1_000;

/** Applies one change; returns the Edition's state after it. Errors name the Edition and what is wrong. */
export async function editEdition(db: Db, editionId: string, editor: string, change: EditionChange): Promise<EditionStatus> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: EditionStatus }>('select status from editions where id = $1 for update', [editionId]);
    if (!row) throw new NewsdeskError('usage', `edition ${editionId}: no such Edition`);
    if (!isEditable(row.status)) throw new NewsdeskError('usage', `edition ${editionId}: is ${row.status}; only a draft or an approved Edition can be changed`);
    await apply(tx, editionId, change);
    // An approved Edition changed goes back to draft (and its send time with the approval).
    const status: EditionStatus = row.status === 'approved' ? 'draft' : row.status;
    await setEditionStatus(tx, editionId, row.status, status, { edited: true });
    await recordEvent(tx, editionId, editor, change.kind, { ...change, ...(status !== row.status ? { reopened: true } : {}) });
    return status;
  });
}

async function apply(tx: Queryable, editionId: string, change: EditionChange): Promise<void> {
  const fail = (problem: string) => new NewsdeskError('usage', `edition ${editionId}: ${problem}`);
  switch (change.kind) {
    case 'subject': {
      const subject = oneLine(change.subject);
      if (subject === '' || subject.length > MAX_SUBJECT) throw fail(`subject: expected 1 to ${MAX_SUBJECT} characters on one line`);
      await tx.query('update editions set subject = $2 where id = $1', [editionId, subject]);
      return;
    }
    case 'intro': {
      if (change.intro.length > MAX_INTRO) throw fail(`intro: at most ${MAX_INTRO} characters`);
      await tx.query('update editions set intro = $2 where id = $1', [editionId, change.intro.trim()]);
      return;
    }
    case 'summaries': {
      if (!SUMMARY_FORMS.includes(change.summaries)) throw fail(`summaries: expected ${SUMMARY_FORMS.join(' or ')}, not "${change.summaries}"`);
      await tx.query('update editions set summaries = $2 where id = $1', [editionId, change.summaries]);
      return;
    }
    case 'summary': {
      if (change.summary.length > MAX_SUMMARY) throw fail(`summary: at most ${MAX_SUMMARY} characters`);
      await updateEntry(tx, editionId, change.storyId, { summary: change.summary.trim() }, fail);
      return;
    }
    case 'pin':
      await updateEntry(tx, editionId, change.storyId, { pinned: change.pinned }, fail);
      return;
    case 'move':
      await updateEntry(tx, editionId, change.storyId, { section: change.section.slug, sectionLabel: change.section.label }, fail);
      await tx.query('update edition_stories set section = $3 where edition_id = $1 and story_id = $2', [editionId, change.storyId, change.section.slug]);
      await regroup(tx, editionId);
      return;
    case 'order': {
      const current = await storyIds(tx, editionId);
      const same = change.storyIds.length === current.length && new Set(change.storyIds).size === current.length && change.storyIds.every((id) => current.includes(id));
      if (!same) throw fail('order: give every Story of the Edition exactly once');
      await setPositions(tx, editionId, change.storyIds);
      // A Story moved among another section's is still shown under its own: sections stay together.
      await regroup(tx, editionId);
      return;
    }
    case 'remove': {
      const rows = await tx.query('delete from edition_stories where edition_id = $1 and story_id = $2 returning 1', [editionId, change.storyId]);
      if (rows.length === 0) throw fail(`no Story ${change.storyId} in this Edition`);
      await setPositions(tx, editionId, await storyIds(tx, editionId));
      return;
    }
    case 'add': {
      if ((await storyIds(tx, editionId)).includes(change.storyId)) throw fail(`Story ${change.storyId} is already in this Edition`);
      const [story] = await candidateStories(tx, [change.storyId]);
      if (!story) throw fail(`no Story ${change.storyId} (merged or unknown)`);
      const entry: StoredEntry = { ...buildEntry(story, new Set()), section: change.section.slug, sectionLabel: change.section.label };
      await tx.query(
        `insert into edition_stories (edition_id, story_id, section, position, entry)
         values ($1, $2, $3, (select coalesce(max(position), 0) + 1 from edition_stories where edition_id = $1), $4)`,
        [editionId, change.storyId, change.section.slug, JSON.stringify(entry)],
      );
      await regroup(tx, editionId);
      return;
    }
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

async function storyIds(tx: Queryable, editionId: string): Promise<string[]> {
  const rows = await tx.query<{ storyId: string }>('select story_id as "storyId" from edition_stories where edition_id = $1 order by position', [editionId]);
  return rows.map((row) => row.storyId);
}

async function updateEntry(tx: Queryable, editionId: string, storyId: string, fields: Partial<StoredEntry>, fail: (problem: string) => Error): Promise<void> {
  const rows = await tx.query('update edition_stories set entry = entry || $3::jsonb where edition_id = $1 and story_id = $2 returning 1', [editionId, storyId, JSON.stringify(fields)]);
  if (rows.length === 0) throw fail(`no Story ${storyId} in this Edition`);
}

async function setPositions(tx: Queryable, editionId: string, ids: string[]): Promise<void> {
  await tx.query(
    `update edition_stories es set position = p.position from unnest($2::text[], $3::int[]) as p (story_id, position)
     where es.edition_id = $1 and es.story_id = p.story_id`,
    [editionId, ids, ids.map((_, i) => i + 1)],
  );
}

/** Keeps each section's Stories together, sections in the order they first appear: a moved or added Story joins its section's end. */
async function regroup(tx: Queryable, editionId: string): Promise<void> {
  const rows = await tx.query<{ storyId: string; section: string | null }>(
    'select story_id as "storyId", section from edition_stories where edition_id = $1 order by position',
    [editionId],
  );
  const sections: (string | null)[] = [];
  for (const row of rows) if (!sections.includes(row.section)) sections.push(row.section);
  const ordered = sections.flatMap((section) => rows.filter((row) => row.section === section).map((row) => row.storyId));
  await setPositions(tx, editionId, ordered);
}
