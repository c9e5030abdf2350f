/**
 * How far the Feeds are published (migration 010): `changed` counts the changes
 * to what they show, `published` is the count the last publish read before the
 * Stories it wrote. Both only grow.
 */
import type { Queryable } from './db.js';

export interface PublishMarks {
  changed: number;
  published: number;
}

/** One more change to what the Feeds show, counted after it is stored; returns its count and the store's series. */
export async function markChanged(db: Queryable): Promise<{ change: number; series: string }> {
  // The row lock orders the counts as they commit: whoever reads count n also sees every change up to n.
  const [row] = await db.query<{ change: number; series: string }>(
    'update publish_marks set changed = changed + 1 returning changed::float8 as change, series',
  );
  return row!;
}

export async function publishMarks(db: Queryable): Promise<PublishMarks> {
  const [row] = await db.query<PublishMarks>('select changed::float8 as changed, published::float8 as published from publish_marks');
  return row!;
}

/** The Feeds now show every change up to `changed` (never moves back: publishes may finish out of order). */
export async function markPublished(db: Queryable, changed: number): Promise<void> {
  await db.query('update publish_marks set published = greatest(published, $1) where true', [changed]);
}
