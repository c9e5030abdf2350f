/**
 * A Story's summary for the Edition: its first sentences, cut at a sentence end
 * (never mid-sentence), two or three as they fit. Sentence ends come from
 * Intl.Segmenter, which knows abbreviations and decimal points better than a
 * regular expression, and handles 。 for Japanese and Chinese text.
 */

export interface SummarySettings {
  /** Longest summary, in characters. */
  maxChars: number;
  /** Sentences wanted (two to three). */
  sentences: number;
}

export const DEFAULT_SUMMARY: SummarySettings = { maxChars: 420, sentences: 3 };

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Lines shorter than this that end without a full stop are furniture (credits, captions, headings): skipped. */
const SHORT_LINE = 60;

export function summarize(text: string, settings: SummarySettings = DEFAULT_SUMMARY): string {
  const prose = text
    .split(/\n+/)
    .map((line) => line.trim())
    .filter((line) => line.length >= SHORT_LINE || /[.!?。」"”]$/.test(line))
    .join(' ');
  return firstSentences(prose, settings);
}

/** How long the summaries in an Edition's email are: its editors choose, per Edition (stored: migration 021). */
export const SUMMARY_FORMS = ['short', 'full'] as const;
export type SummaryForm = (typeof SUMMARY_FORMS)[number];

/**
 * The short form: a reader scanning twenty Stories reads the first sentence or
 * two, so about 200 characters. Wanted sentences are fewer and shorter than
 * the stored summary's (DEFAULT_SUMMARY), which is the full form.
 */
export const SHORT_SUMMARY: SummarySettings = { maxChars: 200, sentences: 2 };

/**
 * A summary as the email shows it. Short: its first whole sentences within
 * about 200 characters (a single longer one cut at a word, with "…"). Unlike
 * `summarize`, every line counts: an editor's own summary has no furniture.
 */
export function summaryIn(form: SummaryForm, summary: string): string {
  const text = summary.replace(/\s+/g, ' ').trim();
  return form === 'full' ? text : firstSentences(text, SHORT_SUMMARY);
}

/** As many whole sentences as `settings` allow; one longer than the limit cut at a word. */
function firstSentences(prose: string, settings: SummarySettings): string {
  const sentences = sentencesOf(prose);
  const chosen: string[] = [];
  let length = 0;
  for (const sentence of sentences) {
    if (chosen.length >= settings.sentences) break;
    // A second (or third) sentence only when it fits.
    if (chosen.length > 0 && length + sentence.length + 1 > settings.maxChars) break;
    chosen.push(sentence);
    length += sentence.length + 1;
  }
  if (chosen.length === 0) return '';
  // Japanese and Chinese sentences follow one another without a space.
  const summary = chosen.reduce((text, sentence) => (text === '' ? sentence : /[。！？」]$/.test(text) ? text + sentence : `${text} ${sentence}`), '');
  return summary.length <= settings.maxChars ? summary : cutAtWord(summary, settings.maxChars);
}

/** Titles and initials the segmenter takes for sentence ends ("Mr. Kim", "Kim J. Un"). */
const NOT_AN_END = /(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Gen|Col|Lt|Sgt|Rep|Sen|Gov|Rev|No|Vol|vs|Inc|Co|Corp|Ltd)|\b[A-Z])\.$/;

function sentencesOf(prose: string): string[] {
  const sentences: string[] = [];
  let pending = '';
  for (const { segment } of segmenter.segment(prose)) {
    pending += segment;
    if (NOT_AN_END.test(pending.trimEnd())) continue;
    if (pending.trim()) sentences.push(pending.trim());
    pending = '';
  }
  if (pending.trim()) sentences.push(pending.trim());
  return sentences;
}

/** One sentence longer than the limit: cut at the last whole word, with an ellipsis. */
function cutAtWord(text: string, maxChars: number): string {
  const cut = text.slice(0, maxChars - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}
