/**
 * Deterministic news-like text for tests and benchmarks: articles of several
 * paragraphs whose words follow a Zipf law over common English words, the
 * subject's own vocabulary and made-up names, with numbers. Texts on one
 * subject share common phrases (as real ones do), almost never a whole
 * passage. Reposts are made from them under control: exact copies, excerpts,
 * copy-edited versions.
 */

/** splitmix32: spreads a seed (or a seed and an index) over 32 bits. */
function splitmix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * sfc32, seeded through splitmix32: 128 bits of state, so two seeds do not give
 * one sequence shifted (a 32-bit generator would: a million articles from it
 * would share passages by accident, and the bench would count false reposts).
 */
export function random(seed: number, stream = 0): () => number {
  let a = splitmix32(seed);
  let b = splitmix32(a ^ stream);
  let c = splitmix32(b + 0x6d2b79f5);
  let d = splitmix32(c ^ Math.imul(stream + 1, 0x27d4eb2d));
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const COMMON = (
  'the of and to a in that is was he for it with as his on be at by had not are but from or have an they which ' +
  'one you were her all she there would their we him been has when who will more no if out so said what up its about ' +
  'into than them can only other new some could time these two may then do first any my now such like our over man me ' +
  'even most made after also did many before must through back years where much your way well down should because ' +
  'each just those people how too little state good very make world still own see men work long get here between both ' +
  'life being under never day same another know while last might us great old year off come since against go came right'
).split(' ');

const SUBJECT = (
  'north korea korean south defector defectors refugee refugees china border regime escape broker brokers seoul pyongyang ' +
  'ministry unification government police repatriation camp camps family families mother daughter son human rights united ' +
  'nations report officials official sanctions workers restaurant labour market smuggling river tumen yalu province jilin ' +
  'liaoning shenyang vietnam laos thailand bangkok embassy asylum resettlement hanawon interview testimony journalist ' +
  'source sources reported according arrested detained released forced sent returned crossed fled hiding church activists ' +
  'group organisation aid food shortage famine soldier soldiers army security prison labor camp leader kim jong un il sung'
).split(' ');

function syllableWord(next: () => number): string {
  const syllables = ['ka', 'ri', 'mo', 'han', 'sung', 'jin', 'pak', 'lee', 'choi', 'min', 'seo', 'yun', 'dae', 'hye', 'won', 'tae', 'gyu', 'bo', 'ra', 'ne'];
  const count = 2 + Math.floor(next() * 3);
  let word = '';
  for (let i = 0; i < count; i += 1) word += syllables[Math.floor(next() * syllables.length)];
  return word;
}

/** A vocabulary of `size` words, most frequent first: common words, the subject's words, then names. */
function vocabulary(size: number, next: () => number): string[] {
  const words = [...COMMON, ...SUBJECT];
  const seen = new Set(words);
  while (words.length < size) {
    const word = syllableWord(next);
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

export interface Article {
  title: string;
  paragraphs: string[];
  /** The paragraphs, blank-line separated. */
  text: string;
}

export interface NewsGenerator {
  /** The next article of the sequence. */
  article(): Article;
  /** Article number `index`: the same text every time, without generating the ones before it. */
  articleAt(index: number): Article;
}

/** Zipf(1.05) over `vocabularySize` words: about what news text shows. */
export function newsGenerator(seed: number, vocabularySize = 20_000): NewsGenerator {
  let next = random(seed);
  const words = vocabulary(vocabularySize, random(seed ^ 0x5bd1e995));
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= words.length; rank += 1) {
    total += 1 / rank ** 1.05;
    cumulative.push(total);
  }
  const pick = (): string => {
    const target = next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  const sentence = (): string => {
    const length = 8 + Math.floor(next() * 18);
    const parts: string[] = [];
    for (let i = 0; i < length; i += 1) parts.push(next() < 0.04 ? String(Math.floor(next() * 2000)) : pick());
    const text = parts.join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const article = (): Article => {
    const title = sentence().slice(0, -1);
    const paragraphs = Array.from({ length: 5 + Math.floor(next() * 7) }, () =>
      Array.from({ length: 1 + Math.floor(next() * 3) }, sentence).join(' '),
    );
    return { title, paragraphs, text: paragraphs.join('\n\n') };
  };
  return {
    article,
    articleAt(index) {
      const saved = next;
      next = random(seed, index + 1);
      try {
        return article();
      } finally {
        next = saved;
      }
    },
  };
}

/** A copy-edited version: about `share` of the words replaced, one at a time, as a sub-editor or a spinner would. */
export function copyEdit(text: string, share: number, seed: number): string {
  const next = random(seed);
  return text
    .split('\n\n')
    .map((paragraph) =>
      paragraph
        .split(' ')
        .map((word) => (next() < share ? `${word.replace(/[.]$/, '')}ed${word.endsWith('.') ? '.' : ''}` : word))
        .join(' '),
    )
    .join('\n\n');
}
