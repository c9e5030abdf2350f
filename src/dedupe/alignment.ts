/**
 * Aligning two texts by their shingles (both in text order): the runs of
 * consecutive shingles they share, chained in the order both texts have them
 * (the longest first, as patience diff does), and the slots between two
 * consecutive runs, where the texts say something different in the same
 * place. Two releases from one template share the runs and differ in the
 * slots (`will visit [Busan on 3 May] to meet` / `will visit [Daegu on 12
 * June] to meet`); a copy-edit changes a slot's wording, not its facts.
 */

/** Shingles at a[a .. a + length) equal those at b[b .. b + length). */
export interface Run {
  a: number;
  b: number;
  length: number;
}

/** Words of each text between two shared runs (inclusive ranges of word positions; end < start when empty). */
export interface Slot {
  a: { start: number; end: number };
  b: { start: number; end: number };
}

/** Occurrences of one shingle considered in the other text: a phrase repeated more often is not an anchor. */
const MAX_OCCURRENCES = 8;

/** Every maximal run of at least `minLength` shared consecutive shingles. */
function allRuns(a: Int32Array, b: Int32Array, minLength: number): Run[] {
  const positions = new Map<number, number[]>();
  for (let j = 0; j < b.length; j += 1) {
    const list = positions.get(b[j]!);
    if (!list) positions.set(b[j]!, [j]);
    else if (list.length < MAX_OCCURRENCES) list.push(j);
  }
  const runs: Run[] = [];
  // Open runs by diagonal (b - a), each extended while the next pair of shingles matches too.
  let open = new Map<number, Run>();
  for (let i = 0; i < a.length; i += 1) {
    const next = new Map<number, Run>();
    for (const j of positions.get(a[i]!) ?? []) {
      const run = open.get(j - i);
      if (run) {
        run.length += 1;
        next.set(j - i, run);
      } else {
        const fresh = { a: i, b: j, length: 1 };
        runs.push(fresh);
        next.set(j - i, fresh);
      }
    }
    open = next;
  }
  return runs.filter((run) => run.length >= minLength);
}

/**
 * The shared runs both texts have in one order, in text order: the longest
 * first, each next one kept only where it fits between those already kept.
 */
export function alignRuns(a: Int32Array, b: Int32Array, minLength = 1): Run[] {
  const chain: Run[] = [];
  for (const run of allRuns(a, b, minLength).sort((x, y) => y.length - x.length || x.a - y.a)) {
    let at = 0;
    while (at < chain.length && chain[at]!.a < run.a) at += 1;
    const before = chain[at - 1];
    const after = chain[at];
    const fits =
      (!before || (before.a + before.length <= run.a && before.b + before.length <= run.b)) &&
      (!after || (run.a + run.length <= after.a && run.b + run.length <= after.b));
    if (fits) chain.splice(at, 0, run);
  }
  return chain;
}

/**
 * The slots between consecutive aligned runs where neither text has more than
 * `maxWords` words of its own: the same sentence frame with something else in
 * it. Both texts' starts and ends anchor too (`[Minister X] will visit ...`).
 * `shingleWords` converts shingle positions to word positions; `lengths` are
 * the texts' shingle counts.
 */
export function slotsBetween(runs: readonly Run[], shingleWords: number, maxWords: number, lengths: [number, number]): Slot[] {
  if (runs.length === 0) return [];
  const [endA, endB] = [lengths[0] + shingleWords - 2, lengths[1] + shingleWords - 2];
  const slots: Slot[] = [];
  const push = (a: { start: number; end: number }, b: { start: number; end: number }) => {
    if (a.end - a.start + 1 <= maxWords && b.end - b.start + 1 <= maxWords && (a.end >= a.start || b.end >= b.start)) slots.push({ a, b });
  };
  push({ start: 0, end: runs[0]!.a - 1 }, { start: 0, end: runs[0]!.b - 1 });
  for (let i = 1; i < runs.length; i += 1) {
    const [left, right] = [runs[i - 1]!, runs[i]!];
    // The left run's last shingle covers words up to its start + shingleWords - 1.
    push({ start: left.a + left.length - 1 + shingleWords, end: right.a - 1 }, { start: left.b + left.length - 1 + shingleWords, end: right.b - 1 });
  }
  const last = runs[runs.length - 1]!;
  push({ start: last.a + last.length - 1 + shingleWords, end: endA }, { start: last.b + last.length - 1 + shingleWords, end: endB });
  return slots;
}

/** Length of the longest common subsequence of two lists under `same` (two rows of the table, O(n·m) time). */
export function commonSubsequence<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Array<number>(b.length + 1).fill(0);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = same(a[i - 1]!, b[j - 1]!) ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}
