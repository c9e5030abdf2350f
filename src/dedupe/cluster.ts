/**
 * Clustering: each new Item joins the Story of the Items it matches, or starts
 * its own. Incremental: a new Item is compared only with the candidates the
 * index offers (and with the earlier Items of its own batch), never with
 * everything. Matches are transitive: an Item that matches two Stories (an
 * original holding two excerpts that were Stories of their own) merges them,
 * into the older one, so published Story ids survive. An editor's "keep apart"
 * decision blocks any merge that would join the two sides again.
 * Pure: prints in, assignments out; the process job does the store's I/O.
 */
import { createHash } from 'node:crypto';
import type { DedupePrint } from './print.js';
import { comparePrints, type DedupeSettings, type PairScores, type PairVerdict, type SameRule } from './rules.js';
import { differentParts } from './series.js';

/** A Story's id comes from its first Item's id, so it is the same on every run. */
export function storyIdFor(itemId: string): string {
  return `st_${createHash('sha256').update(itemId).digest('hex').slice(0, 20)}`;
}

/** Why an Item is in its Story: stored with the membership, shown to editors. */
export type JoinReason =
  | { rule: 'first-seen' }
  | { rule: SameRule; matched: string; scores: PairScores | null; passage: string | null };

export interface StoryAssignment {
  itemId: string;
  /** The Story the Item is in after the whole batch. */
  storyId: string;
  /** The id of the Story created for this Item (it may have been absorbed later in the batch); null when it joined one. */
  createdStory: string | null;
  reason: JoinReason;
}

export interface StoryMerge {
  /** The Story absorbed (its id then redirects to `into`). */
  from: string;
  into: string;
  /** The Item whose matches joined the two. */
  byItem: string;
  reason: JoinReason;
}

/** A pair in the uncertain band, or a match an editor's decision blocked: for an editor to look at. */
export interface ReviewPair {
  itemId: string;
  otherItemId: string;
  scores: PairScores | null;
  passage: string | null;
  /** `uncertain` (weak overlap) or `blocked` (matched, but an editor keeps the Stories apart). */
  kind: 'uncertain' | 'blocked';
}

/**
 * Stories that stay apart but are related: parts of one series (together for
 * readers), or one template filled with different facts (for editors: why two
 * look-alike releases are two Stories).
 */
export interface StoryLink {
  itemId: string;
  otherItemId: string;
  kind: 'series' | 'template';
  /** For a template: the facts that differ (`Busan ≠ Daegu`). */
  facts?: string[];
}

export interface BatchResult {
  assignments: StoryAssignment[];
  merges: StoryMerge[];
  reviews: ReviewPair[];
  links: StoryLink[];
}

export interface StoredPrint {
  print: DedupePrint;
  storyId: string;
}

export interface BatchInput {
  /** The new Items' prints, first seen first. */
  items: DedupePrint[];
  /** Prints already stored that the index offered, with their Stories. */
  stored: ReadonlyMap<string, StoredPrint>;
  /** For each new Item, the stored Items the index offers, best first. */
  candidates: ReadonlyMap<string, readonly string[]>;
  /** When each known Story was created (ms): the older survives a merge. */
  storyCreated: ReadonlyMap<string, number>;
  /** Pairs of Items an editor keeps apart, with the Story each is in now. */
  apart: readonly { a: string; b: string }[];
  membership: ReadonlyMap<string, string>;
}

/** A text with this few usable fingerprints (about 80 words) finds candidates by one shared fingerprint. */
const SHORT_TEXT_FINGERPRINTS = 3;
/**
 * How much sharing one fingerprint says about a candidate, from how many Items
 * hold it (before the new one): a passage only one Item has is strong evidence,
 * a phrase a dozen Items use is weak. So a short excerpt whose one fingerprint
 * is unique is found, and a crowd of candidates sharing common phrases ranks below it.
 */
export function fingerprintWeight(holders: number): number {
  if (holders <= 1) return 3;
  if (holders <= 3) return 2;
  if (holders <= 20) return 1;
  return 0.5;
}

/**
 * The candidates worth comparing, best first, from the weight of the
 * fingerprints each shares with the new Item (Infinity: same text, address or
 * series). The store's index and the batch's own use this one ranking.
 */
export function rankCandidates<K extends string | number>(
  weights: ReadonlyMap<K, number>,
  fingerprints: number,
  settings: Pick<DedupeSettings, 'maxCandidates' | 'minSharedFingerprints'>,
): K[] {
  // A short text has few fingerprints, and at its edges they need not be the original's: one will do.
  const needed = fingerprints <= SHORT_TEXT_FINGERPRINTS ? 1 : settings.minSharedFingerprints;
  return [...weights.entries()]
    .filter(([, weight]) => weight >= needed)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, settings.maxCandidates)
    .map(([key]) => key);
}

class Stories {
  private readonly parent = new Map<string, string>();
  private readonly created = new Map<string, number>();
  private next = Number.MAX_SAFE_INTEGER / 2;

  constructor(created: ReadonlyMap<string, number>) {
    for (const [id, at] of created) this.created.set(id, at);
  }

  add(id: string): void {
    if (!this.created.has(id)) this.created.set(id, (this.next += 1));
  }

  find(id: string): string {
    let root = id;
    while (this.parent.has(root)) root = this.parent.get(root)!;
    return root;
  }

  /** Joins two Stories; the older id survives. Returns [absorbed, survivor]. */
  union(a: string, b: string): [string, string] {
    const [ra, rb] = [this.find(a), this.find(b)];
    const [ageA, ageB] = [this.created.get(ra) ?? Infinity, this.created.get(rb) ?? Infinity];
    const [from, into] = ageA < ageB || (ageA === ageB && ra < rb) ? [rb, ra] : [ra, rb];
    this.parent.set(from, into);
    return [from, into];
  }
}

/** `compare` is the decision rules; `eval dedupe` passes them memoised when it replays the clustering under many settings. */
export function assignBatch(input: BatchInput, settings: DedupeSettings, compare: typeof comparePrints = comparePrints): BatchResult {
  const stories = new Stories(input.storyCreated);
  for (const { storyId } of input.stored.values()) stories.add(storyId);
  const storyOf = new Map(input.membership);
  for (const [id, stored] of input.stored) storyOf.set(id, stored.storyId);

  const isApart = (storyA: string, storyB: string): boolean => {
    const [ra, rb] = [stories.find(storyA), stories.find(storyB)];
    return input.apart.some(({ a, b }) => {
      const [sa, sb] = [storyOf.get(a), storyOf.get(b)];
      if (sa === undefined || sb === undefined) return false;
      const [x, y] = [stories.find(sa), stories.find(sb)];
      return (x === ra && y === rb) || (x === rb && y === ra);
    });
  };

  // Prints seen so far (candidates and the batch's own Items), to keep parts of a series out of one Story.
  const known = new Map<string, DedupePrint>([...input.stored].map(([id, stored]) => [id, stored.print]));
  /** The known prints in each of two Stories (those with `keep`). */
  const sides = (storyA: string, storyB: string, keep: (print: DedupePrint) => boolean): [DedupePrint[], DedupePrint[]] => {
    const [ra, rb] = [stories.find(storyA), stories.find(storyB)];
    const sideA: DedupePrint[] = [];
    const sideB: DedupePrint[] = [];
    for (const [id, print] of known) {
      if (!keep(print)) continue;
      const root = storyOf.has(id) ? stories.find(storyOf.get(id)!) : null;
      if (root === ra) sideA.push(print);
      else if (root === rb) sideB.push(print);
    }
    return [sideA, sideB];
  };
  const holdsOtherPart = (storyA: string, storyB: string): boolean => {
    const [sideA, sideB] = sides(storyA, storyB, (print) => print.series !== null);
    return sideA.some((a) => sideB.some((b) => differentParts(a.series, b.series)));
  };
  // Two fillings of one template stay apart even through an Item that matches both (a page holding only
  // the template's standard paragraphs). Few Items match two Stories: comparing their members is cheap.
  const holdsOtherFilling = (storyA: string, storyB: string): boolean => {
    const [sideA, sideB] = sides(storyA, storyB, (print) => print.facts.length > 0);
    return sideA.some((a) => sideB.some((b) => {
      const verdict = compare(a, b, settings);
      return verdict.verdict === 'apart' && verdict.rule === 'facts-differ';
    }));
  };

  const batch = new BatchIndex(settings);
  const result: BatchResult = { assignments: [], merges: [], reviews: [], links: [] };

  for (const item of input.items) {
    const compared: { otherId: string; verdict: PairVerdict; storyId: string }[] = [];
    for (const otherId of input.candidates.get(item.itemId) ?? []) {
      const stored = input.stored.get(otherId);
      if (!stored) continue;
      compared.push({ otherId, verdict: compare(item, stored.print, settings), storyId: stored.storyId });
    }
    for (const other of batch.candidates(item)) {
      compared.push({ otherId: other.itemId, verdict: compare(item, other, settings), storyId: storyOf.get(other.itemId)! });
    }

    // The best match in each Story, strongest Story first.
    const bestPerStory = new Map<string, { otherId: string; verdict: PairVerdict & { verdict: 'same' } }>();
    for (const entry of compared) {
      if (entry.verdict.verdict !== 'same') continue;
      const root = stories.find(entry.storyId);
      const seen = bestPerStory.get(root);
      if (!seen || strength(entry.verdict) > strength(seen.verdict)) bestPerStory.set(root, { otherId: entry.otherId, verdict: entry.verdict });
    }
    const matches = [...bestPerStory.entries()].sort((x, y) => strength(y[1].verdict) - strength(x[1].verdict));

    let storyId: string;
    let assignment: StoryAssignment;
    const first = matches[0];
    if (first) {
      storyId = first[0];
      assignment = { itemId: item.itemId, storyId, createdStory: null, reason: joinReason(first[1].otherId, first[1].verdict) };
      for (const [otherStory, match] of matches.slice(1)) {
        if (stories.find(otherStory) === stories.find(storyId)) continue;
        // An Item matching two parts of a series (a teaser of their shared introduction) joins one of them only;
        // so does one matching two fillings of a template.
        if (holdsOtherPart(storyId, otherStory) || holdsOtherFilling(storyId, otherStory)) continue;
        if (isApart(storyId, otherStory)) {
          result.reviews.push({ itemId: item.itemId, otherItemId: match.otherId, scores: match.verdict.scores, passage: match.verdict.passage, kind: 'blocked' });
          continue;
        }
        const [from, into] = stories.union(storyId, otherStory);
        result.merges.push({ from, into, byItem: item.itemId, reason: joinReason(match.otherId, match.verdict) });
        storyId = into;
      }
    } else {
      storyId = storyIdFor(item.itemId);
      stories.add(storyId);
      assignment = { itemId: item.itemId, storyId, createdStory: storyId, reason: { rule: 'first-seen' } };
    }
    storyOf.set(item.itemId, storyId);
    known.set(item.itemId, item);
    result.assignments.push(assignment);
    batch.add(item);

    for (const entry of compared) {
      const together = stories.find(entry.storyId) === stories.find(storyId);
      if (entry.verdict.verdict === 'review' && !together) {
        result.reviews.push({ itemId: item.itemId, otherItemId: entry.otherId, scores: entry.verdict.scores, passage: entry.verdict.passage, kind: 'uncertain' });
      } else if (entry.verdict.verdict === 'apart' && entry.verdict.series) {
        result.links.push({ itemId: item.itemId, otherItemId: entry.otherId, kind: 'series' });
      } else if (entry.verdict.verdict === 'apart' && entry.verdict.rule === 'facts-differ' && !together) {
        result.links.push({ itemId: item.itemId, otherItemId: entry.otherId, kind: 'template', facts: entry.verdict.scores?.facts ?? [] });
      }
    }
  }

  // Every id in the result names the Story as it is after all merges of the batch.
  for (const assignment of result.assignments) assignment.storyId = stories.find(assignment.storyId);
  for (const merge of result.merges) merge.into = stories.find(merge.into);
  return result;
}

/** Exact reposts, then the same address, then near-copies by resemblance, then excerpts by containment, then rewritten copies. */
function strength(verdict: PairVerdict & { verdict: 'same' }): number {
  if (verdict.rule === 'exact-text') return 4;
  if (verdict.rule === 'same-url') return 3;
  if (verdict.rule === 'near-copy') return 2 + (verdict.scores?.resemblance ?? 0);
  if (verdict.rule === 'rewritten') return verdict.scores?.skeleton ?? 0;
  return 1 + (verdict.scores?.narrativeContainment ?? 0);
}

function joinReason(matched: string, verdict: PairVerdict & { verdict: 'same' }): JoinReason {
  return { rule: verdict.rule, matched, scores: verdict.scores, passage: verdict.passage };
}

/** The batch's own Items, indexed as the store indexes stored ones. */
class BatchIndex {
  constructor(private readonly settings: DedupeSettings) {}

  private readonly entries: DedupePrint[] = [];
  private readonly byFingerprint = new Map<number, number[]>();
  private readonly byKey = new Map<string, number[]>();

  add(print: DedupePrint): void {
    const at = this.entries.length;
    this.entries.push(print);
    for (const fingerprint of print.fingerprints) push(this.byFingerprint, fingerprint, at);
    for (const key of this.keys(print, true)) push(this.byKey, key, at);
  }

  /** What finds an Item besides its fingerprints: its text hash, address, series and title (as the store's index does). */
  private keys(print: DedupePrint, withHash: boolean): string[] {
    const keys = withHash ? [`hash:${print.contentHash}`] : [];
    if (print.url) keys.push(`url:${print.url}`);
    if (print.series) keys.push(`series:${print.series.baseWords.join(' ')}`);
    if (print.titleKey) keys.push(`title:${print.titleKey}`);
    return keys;
  }

  candidates(print: DedupePrint): DedupePrint[] {
    const hits = new Map<number, number>();
    for (const fingerprint of print.fingerprints) {
      const holders = this.byFingerprint.get(fingerprint) ?? [];
      if (holders.length > this.settings.maxPostings) continue;
      const weight = fingerprintWeight(holders.length);
      for (const at of holders) hits.set(at, (hits.get(at) ?? 0) + weight);
    }
    for (const key of this.keys(print, print.wordCount >= this.settings.minShared)) {
      for (const at of this.byKey.get(key) ?? []) hits.set(at, Infinity);
    }
    return rankCandidates(hits, print.fingerprints.length, this.settings).map((at) => this.entries[at]!);
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
