/**
 * Lexical cohesion: how much two stretches of text talk about the same things.
 * An in-post subheading shares its vocabulary with the paragraphs around it
 * (`Kim Yo Jong's rise to power` inside a post about Kim Yo Jong); the title of
 * the next post starts a new vocabulary. The measure is the cosine of
 * content-word counts, the core of TextTiling (Hearst, 1997), small enough to
 * read at a glance.
 */

const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
  can could did do does doing down during each even ever every few for from further get got had has have having he her here
  hers herself him himself his how however i if in into is it its itself just let like made make many may me might more most
  much must my myself no nor not now of off often on once one only or other our ours ourselves out over own per rather really
  said same say says she should since so some still such than that the their theirs them themselves then there these they
  this those through to too two under until up upon us very was we were what when where whether which while who whom whose
  why will with within without would yet you your yours yourself year years new`
    .split(/\s+/)
    .filter((word) => word !== ''),
);

/** Content words: lower case, apostrophes and possessives folded, a plural `s` dropped. */
export function contentWords(text: string): string[] {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019']s\b/g, '')
    .replace(/[\u2018\u2019']/g, '')
    .match(/\p{L}[\p{L}-]*/gu);
  if (!words) return [];
  return words
    .map((word) => word.replace(/^-+|-+$/g, ''))
    .filter((word) => word.length > 2 && !STOPWORDS.has(word))
    .map((word) => (word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word));
}

function counts(texts: string[]): Map<string, number> {
  const bag = new Map<string, number>();
  for (const text of texts) {
    for (const word of contentWords(text)) bag.set(word, (bag.get(word) ?? 0) + 1);
  }
  return bag;
}

/** Each line's content-word counts, read once: a page's lines are compared many times over. */
const lineCounts = new WeakMap<{ text: string }, Map<string, number>>();

function countsOfLines(lines: readonly { text: string }[]): Map<string, number> {
  const bag = new Map<string, number>();
  for (const line of lines) {
    let own = lineCounts.get(line);
    if (!own) {
      own = counts([line.text]);
      lineCounts.set(line, own);
    }
    for (const [word, count] of own) bag.set(word, (bag.get(word) ?? 0) + count);
  }
  return bag;
}

/** Cosine similarity of the content-word counts of two groups of page lines; 0 when either has none. */
export function linesCohesion(before: readonly { text: string }[], after: readonly { text: string }[]): number {
  return cosine(countsOfLines(before), countsOfLines(after));
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [word, count] of a) dot += count * (b.get(word) ?? 0);
  const norm = (bag: Map<string, number>) => Math.sqrt([...bag.values()].reduce((sum, n) => sum + n * n, 0));
  const denominator = norm(a) * norm(b);
  return denominator === 0 ? 0 : dot / denominator;
}

/** Content words the two texts share (used to tell a post title from a banner line above it). */
export function sharedWords(a: string, b: string[]): number {
  const words = new Set(contentWords(a));
  const other = new Set(b.flatMap(contentWords));
  return [...words].filter((word) => other.has(word)).length;
}
