/**
 * Editors' decisions on pairs of Items, and the pairs waiting for one. The
 * pipeline reads the `apart` decisions before every batch, so a split an editor
 * made is never undone by a later Item that matches both sides.
 */
import type { PairScores } from '../dedupe/rules.js';
import type { Queryable } from './db.js';

export type Verdict = 'same' | 'apart';

/** Editors' `apart` pairs touching these Stories, with the Story each Item of a pair is in now. */
export async function apartDecisions(
  db: Queryable,
  storyIds: string[],
): Promise<{ apart: { a: string; b: string }[]; membership: Map<string, string> }> {
  if (storyIds.length === 0) return { apart: [], membership: new Map() };
  const rows = await db.query<{ a: string; b: string; storyA: string; storyB: string }>(
    `select d.item_a as a, d.item_b as b, sa.story_id as "storyA", sb.story_id as "storyB"
     from dedupe_decisions d
     join story_items sa on sa.item_id = d.item_a join story_items sb on sb.item_id = d.item_b
     where d.verdict = 'apart' and (sa.story_id = any($1) or sb.story_id = any($1))`,
    [storyIds],
  );
  const membership = new Map<string, string>();
  for (const row of rows) membership.set(row.a, row.storyA).set(row.b, row.storyB);
  return { apart: rows.map(({ a, b }) => ({ a, b })), membership };
}

/** Records (or replaces) an editor's verdict on every pair across the two groups of Items. */
export async function recordDecisions(
  db: Queryable,
  left: string[],
  right: string[],
  decision: { verdict: Verdict; editor: string; note: string | null },
): Promise<void> {
  const a: string[] = [];
  const b: string[] = [];
  for (const x of left) {
    for (const y of right) {
      if (x === y) continue;
      a.push(x < y ? x : y);
      b.push(x < y ? y : x);
    }
  }
  if (a.length === 0) return;
  await db.query(
    `insert into dedupe_decisions (item_a, item_b, verdict, editor, note)
     select distinct * from unnest($1::text[], $2::text[]) as p (a, b), (values ($3::text, $4::text, $5::text)) as d (verdict, editor, note)
     on conflict (item_a, item_b) do update set verdict = excluded.verdict, editor = excluded.editor,
       note = excluded.note, decided_at = now()`,
    [a, b, decision.verdict, decision.editor, decision.note],
  );
}

/** Closes the pending pairs between the two groups of Items. */
export async function resolveReviews(
  db: Queryable,
  left: string[],
  right: string[],
  resolution: { status: 'merged' | 'kept-apart'; editor: string },
): Promise<number> {
  const rows = await db.query(
    `update dedupe_reviews set status = $3, resolved_at = now(), resolved_by = $4
     where status = 'pending' and ((item_id = any($1) and other_item_id = any($2)) or (item_id = any($2) and other_item_id = any($1)))
     returning item_id`,
    [left, right, resolution.status, resolution.editor],
  );
  return rows.length;
}

export interface PendingReview {
  kind: 'uncertain' | 'blocked';
  itemId: string;
  storyId: string;
  title: string;
  otherItemId: string;
  otherStoryId: string;
  otherTitle: string;
  scores: PairScores | null;
  passage: string | null;
  createdAt: Date;
}

/** Pairs waiting for an editor whose Items are still in two different Stories, oldest first. */
export async function pendingReviews(db: Queryable, limit = 100): Promise<PendingReview[]> {
  return db.query<PendingReview>(
    `select r.kind, r.item_id as "itemId", sa.story_id as "storyId", ia.title,
       r.other_item_id as "otherItemId", sb.story_id as "otherStoryId", ib.title as "otherTitle",
       r.scores, r.passage, r.created_at as "createdAt"
     from dedupe_reviews r
     join story_items sa on sa.item_id = r.item_id join items ia on ia.id = r.item_id
     join story_items sb on sb.item_id = r.other_item_id join items ib on ib.id = r.other_item_id
     where r.status = 'pending' and sa.story_id <> sb.story_id
     order by r.created_at, r.item_id, r.other_item_id limit $1`,
    [limit],
  );
}
