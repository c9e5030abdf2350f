/**
 * What the email templates show, worked out once from an Edition: dates as
 * readers write them, the sections in the order the entries come, the "also
 * reported by" lines, the preheader. The HTML and the plain-text templates both
 * read this, so the two parts of the email cannot say different things.
 */
import type { PublicationDate } from '../dedupe/story-date.js';
import { storyLink } from '../publish/story-links.js';
import type { Edition } from '../digest/edition.js';
import { defaultSubject } from './compose.js';
import { weekInWords } from './days.js';
import type { RenderContext } from './render.js';
import { summaryIn } from './summary.js';

export interface StoryView {
  title: string;
  /** The original Outlet's article, else the Story's page on the site: every title is a link. */
  url: string;
  /** `Daily NK · 20 Nov 2026`, `Vice News · April 2016`; the Outlet or the date alone when only one is known; empty when neither is. */
  meta: string;
  /** Short or full, as the Edition's editors chose (src/digest/summary.ts). */
  summary: string;
  /** `Also reported by NK News, Yonhap`; null when nobody else did. */
  reportedBy: string | null;
  repostedBy: string | null;
}

export interface SectionView {
  label: string;
  /** The id of its heading (`nd-s1`), which the contents link to. */
  anchor: string;
  stories: StoryView[];
}

export interface EditionView {
  /** The document's language: the words around the Stories are English. */
  lang: 'en';
  subject: string;
  preheader: string;
  site: { title: string; url: string };
  /** The days the Edition covers, in the editors' zone: `30 November – 6 December 2026`. */
  dates: string;
  /** Paragraphs; empty when the editors wrote none. */
  intro: string[];
  /** In order; the email's contents list them with their counts. */
  sections: SectionView[];
  footer: {
    reason: string;
    unsubscribe: string;
    preferences: string;
    webVersion: string | null;
    organisation: string;
    /** The postal address, line by line as configured. */
    address: string[];
  };
}

// Written out rather than Intl's: ICU versions disagree on short months ("Sep" or "Sept").
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const FULL_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * `20 Nov 2026`, in UTC: the day a Story is dated by does not move with the
 * reader's clock. A date known only to the month is `April 2016` (no day is
 * invented); an unknown one is empty: no date is better than a wrong one.
 */
export function formatDate(date: PublicationDate | null): string {
  if (date === null) return '';
  const { at } = date;
  if (date.precision === 'month') return `${FULL_MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Longest preheader: clients show 40 to 140 characters; beyond that it is never seen. */
const PREHEADER_CHARS = 140;

/**
 * The subject line: the editor's, as written, when they wrote one; otherwise
 * derived from the Stories of THIS email (a personal Edition has only the
 * reader's sections), naming the first Story it shows. A stored default names
 * the lead of the whole Edition, which a reader of two Topics may not get.
 * An editor's subject is kept for every reader: it is free text, and we cannot
 * tell which Story, if any, it names.
 */
export function editionSubject(
  edition: Pick<Edition, 'subject' | 'subjectEdited' | 'windowStart' | 'entries'>,
  siteTitle: string,
  timezone = 'UTC',
): string {
  const lead = edition.subjectEdited ? undefined : edition.entries[0];
  if (lead) return defaultSubject(siteTitle, lead.title, weekInWords(edition.windowStart, timezone));
  return oneLine(edition.subject) || `${siteTitle}, ${weekInWords(edition.windowStart, timezone)}`;
}

/**
 * What the inbox shows after the subject: the intro's first sentence, else the
 * titles of this email's Stories in the order it shows them, after the one a
 * derived subject already names.
 */
export function editionPreheader(edition: Pick<Edition, 'intro' | 'subjectEdited' | 'windowStart' | 'entries'>, timezone = 'UTC'): string {
  const from = edition.subjectEdited ? 0 : 1;
  const preheader = preheaderOf(edition.intro, edition.entries.slice(from, from + 3).map((entry) => entry.title));
  // One Story only, named in the subject: the week, rather than nothing (clients would show the body's first words).
  return preheader || `Weekly email, ${weekInWords(edition.windowStart, timezone)}`;
}

/** The intro's first sentence, else the titles given. */
export function preheaderOf(intro: string, titles: string[]): string {
  // At least a dozen characters before the full stop, so "Mr." or "U.N." does not end the sentence.
  const firstSentence = /^.{12,}?[.!?](?=\s|$)/.exec(oneLine(intro))?.[0] ?? oneLine(intro);
  const text = firstSentence !== '' ? firstSentence : titles.map(oneLine).join(' · ');
  if (text.length <= PREHEADER_CHARS) return text;
  return `${text.slice(0, PREHEADER_CHARS - 1).replace(/\s+\S*$/, '')}…`;
}

const also = (what: string, names: string[]) => (names.length > 0 ? `Also ${what} by ${names.join(', ')}` : null);

export function editionView(edition: Edition, context: RenderContext): EditionView {
  const sections: SectionView[] = [];
  let current: { key: string | null; view: SectionView } | null = null;
  // Entries come grouped by section, in order; a new section starts where the slug changes.
  for (const entry of edition.entries) {
    if (!current || current.key !== entry.section) {
      current = { key: entry.section, view: { label: entry.sectionLabel, anchor: `nd-s${sections.length + 1}`, stories: [] } };
      sections.push(current.view);
    }
    current.view.stories.push({
      title: oneLine(entry.title) || 'Untitled',
      url: storyLink(context.site.url, { id: entry.storyId, url: entry.url }),
      meta: [entry.outlet, formatDate(entry.published)].filter((part) => part).join(' · '),
      summary: summaryIn(edition.summaries, entry.summary),
      reportedBy: also('reported', entry.reportedBy),
      repostedBy: also('reposted', entry.repostedBy),
    });
  }
  const intro = edition.intro.split(/\n\s*\n/).map(oneLine).filter((p) => p !== '');
  const { site, organisation, links } = context;
  const timezone = context.timezone ?? 'UTC';
  return {
    lang: 'en',
    subject: editionSubject(edition, site.title, timezone),
    preheader: editionPreheader(edition, timezone),
    site,
    dates: weekInWords(edition.windowStart, timezone),
    intro,
    sections,
    footer: {
      reason: `You receive this because you subscribed to the weekly email of ${site.title} (${site.url}).`,
      unsubscribe: links.unsubscribe,
      preferences: links.preferences,
      webVersion: links.webVersion ?? null,
      organisation: organisation.name,
      address: organisation.postalAddress.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== ''),
    },
  };
}

/** Greedy wrap at `width` for the plain-text part; a word longer than the line (a URL) stays whole. */
export function wrapText(text: string, width = 72): string {
  const lines: string[] = [];
  let line = '';
  for (const word of oneLine(text).split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
