/**
 * Editors' corrections of dedupe: merge Stories the rules kept apart, split
 * Items out of a Story, keep two Stories apart for good. Each one is a decision
 * stored on the Items (dedupe_decisions), which later batches respect, and each
 * runs under the dedupe lock so no worker decides on half of it.
 */
import { storyIdFor } from '../dedupe/cluster.js';
import { NewsdeskError, NotFoundError } from '../errors.js';
import type { Db, Queryable } from './db.js';
import { recordDecisions, resolveReviews } from './dedupe-decisions.js';
import { countStoryMove, lockDedupe, mergeStory, refreshProvenance } from './stories.js';

export interface EditorNote {
  editor: string;
  note: string | null;
}

/** The live Story an id names now (following a merge), or an error naming the id. */
export async function resolveStory(db: Queryable, id: string): Promise<string> {
  const rows = await db.query<{ id: string; mergedInto: string | null }>(
    'select id, merged_into as "mergedInto" from stories where id = $1',
    [id],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError('Story', id);
  return row.mergedInto ?? row.id;
}

async function members(db: Queryable, storyId: string): Promise<string[]> {
  const rows = await db.query<{ itemId: string }>('select item_id as "itemId" from story_items where story_id = $1 order by added_at, item_id', [storyId]);
  return rows.map((row) => row.itemId);
}

async function createdAt(db: Queryable, storyId: string): Promise<number> {
  const rows = await db.query<{ createdAt: Date }>('select created_at as "createdAt" from stories where id = $1', [storyId]);
  return new Date(rows[0]!.createdAt).getTime();
}

/**
 * Merges the Stories into the oldest of them (its id is the one readers have
 * seen longest). Any `apart` decision between them is replaced by `same`.
 */
export async function mergeStories(db: Db, ids: string[], by: EditorNote): Promise<{ into: string; merged: string[] }> {
  return db.transaction(async (tx) => {
    await lockDedupe(tx);
    const live = [...new Set(await Promise.all(ids.map((id) => resolveStory(tx, id))))];
    if (live.length < 2) throw new NewsdeskError('usage', `stories merge: ${ids.join(', ')} name one Story; give two or more`);
    const ages = await Promise.all(live.map(async (id) => ({ id, at: await createdAt(tx, id) })));
    ages.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    const into = ages[0]!.id;
    const intoMembers = await members(tx, into);
    for (const { id: from } of ages.slice(1)) {
      const fromMembers = await members(tx, from);
      await recordDecisions(tx, intoMembers, fromMembers, { verdict: 'same', ...by });
      await resolveReviews(tx, intoMembers, fromMembers, { status: 'merged', editor: by.editor });
      await mergeStory(tx, from, into, { byItem: null, editor: by.editor, reason: { rule: 'editor', note: by.note } });
      intoMembers.push(...fromMembers);
    }
    await refreshProvenance(tx, [into]);
    return { into, merged: ages.slice(1).map((age) => age.id) };
  });
}

/** A free Story id for Items split out: from their first Item, as for any Story, unless that id is taken. */
async function freeStoryId(db: Queryable, firstItem: string): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    const id = storyIdFor(attempt === 0 ? firstItem : `${firstItem}\u0000split:${attempt}`);
    const rows = await db.query('select 1 from stories where id = $1', [id]);
    if (rows.length === 0) return id;
  }
}

/**
 * Moves `itemIds` out of the Story into a new one and keeps the two apart. The
 * Story keeps its id (readers have seen it); the new one is named after its first Item.
 */
export async function splitStory(db: Db, storyId: string, itemIds: string[], by: EditorNote): Promise<{ story: string; newStory: string }> {
  return db.transaction(async (tx) => {
    await lockDedupe(tx);
    const story = await resolveStory(tx, storyId);
    const all = await members(tx, story);
    const moving = all.filter((id) => itemIds.includes(id));
    const strangers = itemIds.filter((id) => !all.includes(id));
    if (strangers.length > 0) throw new NewsdeskError('usage', `stories split: ${strangers.join(', ')} not in Story ${story}`);
    if (moving.length === 0 || moving.length === all.length) {
      throw new NewsdeskError('usage', `stories split: name some, not all, of the ${all.length} Items of Story ${story}`);
    }
    const staying = all.filter((id) => !moving.includes(id));
    const newStory = await freeStoryId(tx, moving[0]!);
    await tx.query('insert into stories (id, representative_item_id) values ($1, $2)', [newStory, moving[0]]);
    await countStoryMove(tx);
    await tx.query('update story_items set story_id = $2 where item_id = any($1)', [moving, newStory]);
    await tx.query(
      `update stories set representative_item_id = $2, updated_at = now() where id = $1 and representative_item_id = any($3)`,
      [story, staying[0], moving],
    );
    await recordDecisions(tx, staying, moving, { verdict: 'apart', ...by });
    await resolveReviews(tx, staying, moving, { status: 'kept-apart', editor: by.editor });
    await refreshProvenance(tx, [story, newStory]);
    return { story, newStory };
  });
}

/** Keeps two Stories apart for good: the pipeline will not merge them, and their pending pairs are closed. */
export async function keepApart(db: Db, storyA: string, storyB: string, by: EditorNote): Promise<number> {
  return db.transaction(async (tx) => {
    await lockDedupe(tx);
    const [a, b] = [await resolveStory(tx, storyA), await resolveStory(tx, storyB)];
    if (a === b) throw new NewsdeskError('usage', `stories keep-apart: ${storyA} and ${storyB} are one Story; split it instead`);
    const [left, right] = [await members(tx, a), await members(tx, b)];
    await recordDecisions(tx, left, right, { verdict: 'apart', ...by });
    return resolveReviews(tx, left, right, { status: 'kept-apart', editor: by.editor });
  });
}
