/**
 * The facts a text carries: numbers, dates, month and weekday names, and names
 * (capitalised words that do not start a sentence), each with where it stands
 * among the prepared words (the positions shingles are counted in).
 *
 * Two releases made from one template share their standard sentences and
 * differ in these slots (the city, the date, the visitor); a copy, however
 * copy-edited or spun, keeps them. Values are normalised so that the edits a
 * sub-editor makes are not taken for different facts: `five` is 5, `1,416` is
 * 1416, `3 May 2018` and `May 3` are one date, `US` is the initials of
 * `United States` (see sameFact).
 */
import type { PageLine } from '../ingest/archive/lines.js';
import { foldWords } from './prepare.js';

export type FactKind = 'number' | 'date' | 'weekday' | 'name';

export interface Fact {
  /** Index of its first word among the text's prepared words. */
  at: number;
  /** How many prepared words it spans. */
  words: number;
  kind: FactKind;
  /** As printed (for editors: `Busan ≠ Daegu`). */
  shown: string;
  /**
   * Compared value: digits for a number, `month-day-year` for a date (parts
   * unknown left empty), the weekday, or the folded words of a name.
   */
  value: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_WORD = /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$/i;
const WEEKDAY = /^(?:mon|tues|wednes|thurs|fri|satur|sun)day$/i;
const NUMBER_WORDS = new Map<string, number>(Object.entries({
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100,
}));
const SPELLED = new RegExp(`\\b(?:${[...NUMBER_WORDS.keys()].join('|')})\\b`, 'i');
/** Capitalised words that are not names wherever they stand. */
const NOT_NAMES = new Set(['i', 'mr', 'mrs', 'ms', 'dr', 'the', 'a', 'an']);

const WORD = /[\p{L}\p{N}]+/gu;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

interface Token {
  text: string;
  /** Characters between the previous token and this one. */
  before: string;
}

const isAlnum = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/**
 * An ASCII line's words, as tokens() cuts them (apostrophes and backticks
 * dropped, so `don't` is one word), in one pass over the characters: every
 * line of every Item is read here, and most are ASCII.
 */
function asciiTokens(text: string): Token[] {
  const out: Token[] = [];
  let gapStart = 0;
  let quoteInGap = false;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (!isAlnum(code)) {
      if (code === 39 || code === 96) quoteInGap = true;
      i += 1;
      continue;
    }
    const gap = text.slice(gapStart, i);
    const before = quoteInGap ? gap.replace(/['`]/g, '') : gap;
    let word = '';
    let start = i;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (isAlnum(c)) i += 1;
      else if (c === 39 || c === 96) {
        word += text.slice(start, i);
        i += 1;
        start = i;
      } else break;
    }
    out.push({ text: word + text.slice(start, i), before });
    gapStart = i;
    quoteInGap = false;
  }
  return out;
}

/** The line's words with their case kept, cut exactly as foldWords cuts them (so positions agree). */
function tokens(text: string): Token[] {
  if (!/[^\x00-\x7f]/.test(text)) return asciiTokens(text);
  const kept = /[^\x00-\x7f]/.test(text)
    ? text.normalize('NFKC').replace(/[\u2018\u2019\u201A\u201B\u2032`´]/g, "'").replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    : text.replace(/`/g, "'");
  const plain = kept.replace(/'/g, '');
  const out: Token[] = [];
  let last = 0;
  for (const match of plain.matchAll(WORD)) {
    const before = plain.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[0].charCodeAt(0) >= 0x2e80 && UNSPACED.test(match[0])) for (const char of match[0]) out.push({ text: char, before: out.length === 0 ? before : '' });
    else out.push({ text: match[0], before });
  }
  return out;
}

const CAPITAL = /^\p{Lu}/u;
/** Tested for every word of every text: ASCII by its code, the rest by the Unicode class. */
function isCapital(word: string): boolean {
  const code = word.charCodeAt(0);
  return code < 128 ? code >= 65 && code <= 90 : CAPITAL.test(word);
}
/** The next word of a name: capitalised after a space, or the tail of a hyphenated one (`Kim Jong-un`). */
const continuesName = (token: Token) => (isCapital(token.text) && /^ ?$/.test(token.before)) || token.before === '-';
/** `U.S.`, `U.N.`: single capitals joined by full stops are one name. */
const initialled = (words: Token[], at: number) =>
  words[at]!.before === '.' && /^\p{Lu}$/u.test(words[at]!.text) && /^\p{Lu}$/u.test(words[at - 1]!.text);
const isDigits = (word: string) => word.charCodeAt(0) >= 48 && word.charCodeAt(0) <= 57;
/** A sentence ends before this token: `.`, `!`, `?`, `:` or a line start, then perhaps an opening quote or bracket. */
const startsSentence = (token: Token, index: number) => index === 0 || /[.!?:;…][\s"'(\[]*$/.test(token.before);

/** Folded words of a name; initials written with full stops run together (`U.S.` -> `us`). */
function nameValue(words: Token[]): string {
  let value = '';
  words.forEach((word, i) => {
    value += `${i === 0 ? '' : word.before === '.' ? '' : ' '}${word.text.toLowerCase()}`;
  });
  return value;
}

function monthNumber(word: string): number | null {
  if (!MONTH_WORD.test(word)) return null;
  return MONTHS.indexOf(word.slice(0, 3).toLowerCase()) + 1;
}

/** Facts of one line, positioned from `offset`. */
function lineFacts(line: string, words: Token[], offset: number, count: number): Fact[] {
  // A line cut otherwise than foldWords cuts it (a rare case-folding that changes a word) gives no facts: positions would drift.
  if (words.length !== count) return [];
  // A headline or subheading in title case (every word of four letters or more capitalised): its capitals are style, not names.
  let long = 0;
  let lower = false;
  for (const w of words) {
    if (w.text.length < 4 || isDigits(w.text)) continue;
    long += 1;
    if (!isCapital(w.text)) {
      lower = true;
      break;
    }
  }
  const titleCase = long >= 3 && !lower;
  // Most lines spell out no number: one test of the line spares a lookup per word.
  const spells = SPELLED.test(line);
  const facts: Fact[] = [];
  const push = (start: number, end: number, kind: FactKind, value: string) => {
    const shown = words.slice(start, end).map((w, i) => (i === 0 ? w.text : `${w.before.replace(/\s+/g, ' ')}${w.text}`)).join('');
    facts.push({ at: offset + start, words: end - start, kind, shown, value });
  };
  for (let i = 0; i < words.length; ) {
    const word = words[i]!.text;
    const prev = words[i - 1]?.text ?? '';
    const next = words[i + 1]?.text ?? '';
    const capital = isCapital(word);
    // `May` and `march` are words too: a month when capitalised (`May` not at a sentence start) or next to a number.
    const nearNumber = isDigits(prev) || isDigits(next);
    const month = capital || nearNumber ? monthNumber(word) : null;
    if (month !== null && (nearNumber ? isCapital(word) || word.toLowerCase() !== 'may' : isCapital(word) && !(month === 5 && startsSentence(words[i]!, i)))) {
      // `3 May 2018`, `May 3, 2018`, `May 3`, `3 May`, `May 2018`, `May`.
      let start = i;
      let end = i + 1;
      let day = '';
      let year = '';
      if (/^\d{1,2}$/.test(prev) && Number(prev) <= 31) [start, day] = [i - 1, String(Number(prev))];
      if (day === '' && /^\d{1,2}$/.test(next) && Number(next) <= 31) [end, day] = [i + 2, String(Number(next))];
      const after = words[end]?.text ?? '';
      if (/^(?:19|20)\d\d$/.test(after)) [end, year] = [end + 1, after];
      // The day was read as a number a step before.
      if (start < i && facts.at(-1)?.at === offset + start) facts.pop();
      push(start, end, 'date', `${month}-${day}-${year}`);
      i = end;
      continue;
    }
    if (capital && WEEKDAY.test(word)) {
      push(i, i + 1, 'weekday', word.toLowerCase());
      i += 1;
      continue;
    }
    if (isDigits(word)) {
      // `1,416`, `3.5`: digit groups joined by a separator are one number.
      let end = i + 1;
      while (end < words.length && /^[.,]$/.test(words[end]!.before) && /^\d/.test(words[end]!.text)) end += 1;
      const digits = words.slice(i, end).map((w) => w.text.replace(/\D+$/, '')).join('');
      push(i, end, 'number', String(Number(digits)) === 'NaN' ? digits : digits.replace(/^0+(?=\d)/, ''));
      i = end;
      continue;
    }
    const spelled = spells && word.length >= 3 && word.length <= 9 ? NUMBER_WORDS.get(capital ? word.toLowerCase() : word) : undefined;
    if (spelled !== undefined) {
      push(i, i + 1, 'number', String(spelled));
      i += 1;
      continue;
    }
    if (!titleCase && capital && !NOT_NAMES.has(word.toLowerCase())) {
      // A run of capitalised words (and the lower-case tail of a hyphenated one: `Kim Jong-un`) is one name.
      let end = i + 1;
      while (end < words.length && (continuesName(words[end]!) || initialled(words, end))) end += 1;
      let start = i;
      // At a sentence start one capitalised word says nothing (`Officials`); a run of them is a name (`North Korea`).
      if (end - start === 1 && startsSentence(words[i]!, i)) start += 1;
      while (start < end && NOT_NAMES.has(words[start]!.text.toLowerCase())) start += 1;
      if (start < end) push(start, end, 'name', nameValue(words.slice(start, end)));
      i = end;
      continue;
    }
    i += 1;
  }
  return facts;
}

/** The facts of a text's body lines (those prepareText reads), in text order. */
export function extractFacts(lines: readonly PageLine[]): Fact[] {
  const facts: Fact[] = [];
  let offset = 0;
  for (const line of lines) {
    // An ASCII line folds to the same words with case kept; only others are cut again by foldWords to check.
    const ascii = !/[^\x00-\x7f]/.test(line.text);
    const words = ascii ? asciiTokens(line.text) : tokens(line.text);
    const count = ascii ? words.length : foldWords(line.text).length;
    facts.push(...lineFacts(line.text, words, offset, count));
    offset += count;
  }
  return facts;
}

/** A name's words, a trailing s dropped: apostrophes are gone from the words (`Korea's` reads `Koreas`). */
function nameWords(value: string): string[] {
  return value.split(' ').map((word) => (word.length > 3 ? word.replace(/s$/, '') : word));
}

/** Two spellings of one word (`defence`, `defense`): equal, or one edit apart in a long word. */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.min(a.length, b.length) < 6 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  const [x, y] = [a.slice(i), b.slice(i)];
  return x.slice(1) === y.slice(1) || x.slice(1) === y || x === y.slice(1);
}

/**
 * Whether a text that has `others` mentions the fact anywhere. A name counts
 * as mentioned when each of its words is in one of the text's names (a title
 * and a name run together, `Minister of Maritime Affairs Han Seo-yeon`, are
 * one run of capitals; a copy may print them apart), or it is the initials of
 * one of them.
 */
export function mentioned(fact: Fact, others: readonly Fact[]): boolean {
  if (fact.kind !== 'name') return others.some((other) => sameFact(fact, other));
  const names = others.filter((other) => other.kind === 'name');
  const words = names.flatMap((other) => nameWords(other.value));
  if (nameWords(fact.value).every((word) => words.some((other) => sameWord(word, other)))) return true;
  return !fact.value.includes(' ') && names.some((other) => other.value.includes(' ') && initials(other.value) === fact.value);
}

/** Initials of a name's words: `united states` -> `us`. */
function initials(value: string): string {
  return value.split(' ').map((word) => word.charAt(0)).join('');
}

/**
 * The same fact, allowing the forms copy-editing gives it: one name's words
 * all in the other (`Moon`, `President Moon Jae-in`) or its initials (`US`,
 * `United States`), a date
 * with a part left out (`May 3`, `3 May 2018`).
 */
export function sameFact(a: Fact, b: Fact): boolean {
  if (a.kind !== b.kind) return false;
  if (a.value === b.value) return true;
  if (a.kind === 'date') {
    const [x, y] = [a.value.split('-'), b.value.split('-')];
    return x.every((part, i) => part === '' || y[i] === '' || part === y[i]);
  }
  if (a.kind === 'name') {
    const [x, y] = [nameWords(a.value), nameWords(b.value)];
    const [short, long] = x.length <= y.length ? [x, y] : [y, x];
    if (short.every((word) => long.some((other) => sameWord(word, other)))) return true;
    return short.length === 1 && long.length > 1 && short[0] === initials(long.join(' '));
  }
  return false;
}
