/**
 * What the learned model reads of a Story: word stems and pairs of adjacent
 * stems (`forc repatri`), stop words left out, title terms counted twice, each
 * term counted as often as the member that says it most (copies add nothing).
 */
import type { TagDocument, WordRun } from './words.js';

/** Function words: they say nothing about a topic and would make most word pairs. */
const STOP = new Set(
  (
    'a about after again against all also an and ani are as at be becaus been befor being between both but by can could did do doe ' +
    'dure each few for from further had ha have he her here hi him how i if in into is it it itself just me more most my no nor not ' +
    'now of off on onc onli or other our out over own said same say she should so some such than that the their them then there these ' +
    'thei thi those through to too under until up veri wa we were what when where which while who whom why will with would you your ' +
    'year one two new like get go make made told'
  ).split(' '),
);

function useful(term: string): boolean {
  return term.length > 1 && !STOP.has(term) && !/^\d+$/.test(term);
}

/**
 * Terms are counted by a 30-bit hash, not by their text: a Story's word pairs
 * are never built as strings (that was most of the model's cost), and 30 bits
 * keep the keys small integers, which V8's maps handle fastest. The model
 * keeps its vocabulary's text for explanations; two terms sharing a hash share
 * a weight, about one pair among 50,000 terms.
 */
const HASH_MASK = 0x3fffffff;
const stemHashes = new Map<string, number>();

function stemHash(stem: string): number {
  let h = stemHashes.get(stem);
  if (h === undefined) {
    h = 2166136261;
    for (let i = 0; i < stem.length; i += 1) h = Math.imul(h ^ stem.charCodeAt(i), 16777619);
    h &= HASH_MASK;
    if (stemHashes.size < 500_000) stemHashes.set(stem, h);
  }
  return h;
}

/** The hash of a word pair (order matters). */
function pairHash(a: number, b: number): number {
  return (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35) ^ 0x27d4eb2f) & HASH_MASK;
}

/** The hash of a term: a stem, or two stems joined by a space (as the model's vocabulary writes pairs). */
export function termHash(term: string): number {
  const space = term.indexOf(' ');
  return space < 0 ? stemHash(term) : pairHash(stemHash(term.slice(0, space)), stemHash(term.slice(space + 1)));
}

/** A stem's term (its hash), or -1 for a word the model does not read; words.ts keeps it with each cached word. */
export function termOf(stem: string): number {
  return useful(stem) ? stemHash(stem) : -1;
}

/** Terms of one run of words, with counts; `names` (training only) collects each term's text. */
function addTerms(run: WordRun, weight: number, into: Map<number, number>, names?: Map<number, string>): void {
  let previous = -1;
  for (let i = 0; i < run.words.length; i += 1) {
    const h = run.words[i]!.term;
    if (h < 0) {
      previous = -1;
      continue;
    }
    into.set(h, (into.get(h) ?? 0) + weight);
    names?.set(h, run.words[i]!.stem);
    if (previous >= 0) {
      const pair = pairHash(previous, h);
      into.set(pair, (into.get(pair) ?? 0) + weight);
      names?.set(pair, `${run.words[i - 1]!.stem} ${run.words[i]!.stem}`);
    }
    previous = h;
  }
}

/** Term counts of a Story, by term hash: for each term, the most any member has. */
export function termCounts(document: TagDocument, names?: Map<number, string>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const member of document.members) {
    // Most Stories have one member: its counts are the Story's.
    const own = document.members.length === 1 ? counts : new Map<number, number>();
    addTerms(member.title, 2, own, names);
    addTerms(member.body, 1, own, names);
    if (own !== counts) for (const [term, count] of own) if (count > (counts.get(term) ?? 0)) counts.set(term, count);
  }
  return counts;
}

/** A sparse vector: feature indices and their values. */
export interface SparseVector {
  index: number[];
  value: number[];
}

/** Term counts as a TF-IDF vector of unit length over a fixed vocabulary (terms outside it are dropped). */
export function tfidf(counts: Map<number, number>, vocabulary: Map<number, number>, idf: number[]): SparseVector {
  const index: number[] = [];
  const value: number[] = [];
  let norm = 0;
  for (const [term, count] of counts) {
    const at = vocabulary.get(term);
    if (at === undefined) continue;
    const v = (1 + Math.log(count)) * idf[at]!;
    index.push(at);
    value.push(v);
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < value.length; k += 1) value[k]! /= norm;
  return { index, value };
}
