/**
 * Do the facts agree where two texts share their wording? The texts are
 * aligned by shingles (alignment.ts); in each slot between two shared runs
 * (the same sentence frame, a few words different) the facts each text puts
 * there are compared kind by kind. A slot where both put a name, a date or a
 * number that the other text never mentions is a conflict: `will visit [Busan] on
 * [3 May]` against `will visit [Daegu] on [12 June]` is one template filled
 * twice, not one text copied. A slot where they agree (a copy-edit reworded
 * around the same fact) counts for the copy; a fact dropped or added (`said
 * Kim` / `said the minister`) counts for neither, and a weekday against a
 * date (`on Tuesday` / `on 3 May`) are not compared: both can be right.
 */
import { alignRuns, slotsBetween, type Slot } from './alignment.js';
import type { Overlap } from './containment.js';
import { mentioned, sameFact, type Fact, type FactKind } from './facts.js';

export interface FactConflict {
  kind: FactKind;
  /** As each text prints it. */
  a: string;
  b: string;
}

export interface FactCheck {
  /** The differing facts, one per kind per slot. */
  conflicts: FactConflict[];
  /** Conflicts weighed by kind: a number counts half (a later version of a report updates its figures). */
  conflictWeight: number;
  /** Slots where both texts put the same fact of a kind. */
  agreements: number;
  /**
   * How template-like the shared text is, by this pair alone: of the aligned
   * slots where both texts put facts of a kind, the share where they differ. Near 1 for
   * two fillings of one template, near 0 for copies.
   */
  templateShare: number;
}

/** What the check reads of a print. */
export interface FactedText {
  shingles: Int32Array;
  facts: readonly Fact[];
}

/** Words one side of a slot may have and still be the same sentence frame. */
export const SLOT_WORDS = 8;

const WEIGHT: Record<FactKind, number> = { name: 1, date: 1, weekday: 1, number: 0.5 };

function inRange(facts: readonly Fact[], range: { start: number; end: number }): Fact[] {
  // A fact that reaches into the slot belongs to it: `[3] May` differs from `[12] May` in its day only.
  return facts.filter((fact) => fact.at <= range.end && fact.at + fact.words - 1 >= range.start);
}

/**
 * The facts of one kind each text puts in a slot conflict when neither text
 * has the other's anywhere: a copy-edit that writes `Pyongyang` for `North
 * Korea` swaps two names both texts use; a second filling of a template
 * brings a city, a date, a visitor the first never mentions.
 */
function compareSlot(a: readonly Fact[], b: readonly Fact[], slot: Slot): { conflicts: FactConflict[]; agreements: number } {
  const [inA, inB] = [inRange(a, slot.a), inRange(b, slot.b)];
  const conflicts: FactConflict[] = [];
  let agreements = 0;
  for (const kind of ['name', 'date', 'weekday', 'number'] as const) {
    const [x, y] = [inA.filter((f) => f.kind === kind), inB.filter((f) => f.kind === kind)];
    if (x.length === 0 || y.length === 0) continue;
    const newInA = x.filter((f) => !mentioned(f, b));
    const newInB = y.filter((g) => !mentioned(g, a));
    if (newInA.length > 0 && newInB.length > 0) {
      conflicts.push({ kind, a: newInA.map((f) => f.shown).join(', '), b: newInB.map((f) => f.shown).join(', ') });
    } else if (x.some((f) => y.some((g) => sameFact(f, g)))) {
      agreements += 1;
    }
  }
  return { conflicts, agreements };
}

/** Compares the facts two texts put in the slots of their shared sentence frames. */
export function checkFacts(a: FactedText, b: FactedText, shingleWords: number): FactCheck {
  const slots = slotsBetween(alignRuns(a.shingles, b.shingles), shingleWords, SLOT_WORDS, [a.shingles.length, b.shingles.length]);
  const conflicts: FactConflict[] = [];
  let agreements = 0;
  for (const slot of slots) {
    const result = compareSlot(a.facts, b.facts, slot);
    conflicts.push(...result.conflicts);
    agreements += result.agreements;
  }
  const conflictWeight = conflicts.reduce((sum, conflict) => sum + WEIGHT[conflict.kind], 0);
  const compared = conflicts.length + agreements;
  return { conflicts, conflictWeight, agreements, templateShare: compared === 0 ? 0 : conflicts.length / compared };
}

/**
 * How much of the text two Items share is common: seen in other Stories, by
 * the text counts (furniture.ts; furniture itself is already out of the
 * overlap). The one place where those plug into the facts rule: when most of
 * the shared text is common, the facts must agree even where this pair alone
 * does not show a template. Null without counts: the rule goes by templateShare.
 */
export function commonShareOf(overlap: Overlap): number | null {
  if (overlap.sharedCommon === null || overlap.shared === 0) return null;
  return overlap.sharedCommon / overlap.shared;
}

export type FactVerdict = 'agree' | 'differ' | 'unsure';

/**
 * The facts rule: where the shared text is a template (by this pair's slots or
 * by how common it is), conflicting facts weighing `factConflicts` or more keep
 * the two apart; a lighter conflict (one name or date) goes to the editors.
 */
export function judgeFacts(check: FactCheck, common: number | null, settings: { factConflicts: number; templateShare: number }): FactVerdict {
  const template = check.templateShare >= settings.templateShare || (common !== null && common >= settings.templateShare);
  if (!template || check.conflictWeight < 1) return 'agree';
  return check.conflictWeight >= settings.factConflicts ? 'differ' : 'unsure';
}

/** `Busan ≠ Daegu`, one per conflict: what editors are shown. */
export function describeConflicts(conflicts: readonly FactConflict[]): string[] {
  return conflicts.map((conflict) => `${conflict.a} ≠ ${conflict.b}`);
}
