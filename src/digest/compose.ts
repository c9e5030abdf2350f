/**
 * Compose: the week's Stories become an Edition draft. Pure: the caller reads
 * the candidates from the store and saves what comes out.
 *
 *   Stories first seen in the week, not in an earlier sent Edition
 *   -> ranked (pins first; then how many Outlets and reposts carried it, and recency)
 *   -> the best, within the limits per section and overall
 *   -> sections in taxonomy order, each Story under its strongest Topic
 *   -> entries: title linking to the original, Outlet, date (only when known), summary, who else carried it
 *
 * A week with fewer Stories than the minimum is skipped, with the reason: no
 * email is better than a thin one.
 */
import { bodyLines } from '../dedupe/prepare.js';
import type { PublicationDate } from '../dedupe/story-date.js';
import type { EditionWindow } from '../week.js';
import { DEFAULT_SUMMARY, summarize, type SummarySettings } from './summary.js';
import { weekInWords } from './days.js';

/** A Story as compose needs it (read from the store by src/store/editions.ts). */
export interface CandidateStory {
  id: string;
  title: string;
  /** The representative Item's link: the original Outlet's article where known. */
  url: string | null;
  outlet: string | null;
  /** The earliest date its Items give; null when none does. */
  published: PublicationDate | null;
  /** When newsdesk first saw it: what puts it in a week, never shown as its date. */
  firstSeenAt: Date;
  /** The representative's text, for the summary. */
  text: string;
  /** Topic slugs, strongest first. */
  topics: string[];
  /** Other Outlets whose own copies are members (syndicated, or their reports of it). */
  reportedBy: string[];
  /** Sources that reposted it (the organisation's archive, blogs). */
  repostedBy: string[];
}

export interface ComposeSettings {
  /** Most Stories in one Edition. */
  maxStories: number;
  /** Most Stories in one section. */
  maxPerSection: number;
  /** Fewer Stories than this: the week is skipped. */
  minStories: number;
  summary: SummarySettings;
}

export const DEFAULT_COMPOSE: ComposeSettings = { maxStories: 20, maxPerSection: 5, minStories: 3, summary: DEFAULT_SUMMARY };

export interface EditionEntry {
  storyId: string;
  title: string;
  url: string | null;
  outlet: string | null;
  /** When the Story was published, as precisely as its Items say; null: unknown, and the email shows no date. */
  published: PublicationDate | null;
  summary: string;
  reportedBy: string[];
  repostedBy: string[];
  pinned: boolean;
}

export interface EditionSection {
  /** A Topic's slug; null for the Stories that carry no Topic. */
  slug: string | null;
  label: string;
  entries: EditionEntry[];
}

export type ComposedEdition =
  | { status: 'draft'; week: string; window: EditionWindow; subject: string; sections: EditionSection[] }
  | { status: 'skipped'; week: string; window: EditionWindow; reason: string };

export interface ComposeInput {
  window: EditionWindow;
  candidates: CandidateStory[];
  /** Topics in the editors' order. */
  topics: { slug: string; label: string }[];
  /** Stories editors pinned: first in their section, never cut by a limit. */
  pinned?: ReadonlySet<string>;
  /** For the default subject line. */
  siteTitle: string;
  /** The editors' zone, in which the week is said in words (a default subject may name it). Default: UTC. */
  timezone?: string;
}

/** The section of the Stories that carry no Topic of the taxonomy. */
export const OTHER_SECTION = 'Other news';

export function composeEdition(input: ComposeInput, settings: ComposeSettings = DEFAULT_COMPOSE): ComposedEdition {
  const { window } = input;
  const pinned = input.pinned ?? new Set<string>();
  const order = new Map(input.topics.map((topic, index) => [topic.slug, index]));
  // A Topic no longer in the taxonomy does not make a section.
  const sectionOf = (story: CandidateStory) => story.topics.find((slug) => order.has(slug)) ?? null;

  const ranked = [...input.candidates].sort((a, b) => rank(b, window, pinned) - rank(a, window, pinned) || a.id.localeCompare(b.id));
  const perSection = new Map<string | null, number>();
  const chosen: CandidateStory[] = [];
  for (const story of ranked) {
    const section = sectionOf(story);
    const count = perSection.get(section) ?? 0;
    const isPinned = pinned.has(story.id);
    if (!isPinned && (chosen.length >= settings.maxStories || count >= settings.maxPerSection)) continue;
    chosen.push(story);
    perSection.set(section, count + 1);
  }

  if (chosen.length < settings.minStories) {
    const reason = `${chosen.length} Stor${chosen.length === 1 ? 'y' : 'ies'} first seen from ${window.start.toISOString()} to ${window.end.toISOString()}, fewer than the minimum of ${settings.minStories}`;
    return { status: 'skipped', week: window.week, window, reason };
  }

  const sections: EditionSection[] = [...input.topics, { slug: null, label: OTHER_SECTION }]
    .map((topic) => ({
      slug: 'slug' in topic ? topic.slug : null,
      label: topic.label,
      entries: chosen.filter((story) => sectionOf(story) === topic.slug).map((story) => buildEntry(story, pinned, settings.summary)),
    }))
    .filter((section) => section.entries.length > 0);
  // The subject names the first Story the email shows, as a personal email's derived subject does (src/digest/render-view.ts).
  const subject = defaultSubject(input.siteTitle, sections[0]?.entries[0]?.title ?? '', weekInWords(window.start, input.timezone ?? 'UTC'));
  return { status: 'draft', week: window.week, window, subject, sections };
}

/**
 * Pinned Stories first; then one point per Outlet that carried the Story, half
 * a point per repost, and up to one point for recency within the week.
 */
function rank(story: CandidateStory, window: EditionWindow, pinned: ReadonlySet<string>): number {
  const carriers = 1 + story.reportedBy.length + 0.5 * story.repostedBy.length;
  const span = window.end.getTime() - window.start.getTime();
  const recency = Math.min(1, Math.max(0, (story.firstSeenAt.getTime() - window.start.getTime()) / span));
  return (pinned.has(story.id) ? 1000 : 0) + carriers + recency;
}

/** One Story's entry in the Edition (also used when an editor adds a Story to a draft). */
export function buildEntry(story: CandidateStory, pinned: ReadonlySet<string>, summary: SummarySettings = DEFAULT_SUMMARY): EditionEntry {
  return {
    storyId: story.id,
    title: story.title,
    url: story.url,
    outlet: story.outlet,
    published: story.published,
    // The summary starts at the journalism, not at a caption or a byline above it.
    summary: summarize(bodyLines(story.title, story.text).map((line) => line.text).join('\n'), summary),
    reportedBy: story.reportedBy,
    repostedBy: story.repostedBy,
    pinned: pinned.has(story.id),
  };
}

/** Longest default subject: about what an inbox shows of one on a desktop before it cuts it (Gmail, Outlook). */
export const SUBJECT_CHARS = 70;

/** A clause shorter than this says too little to stand for the Story ("Kim", "Exclusive"). */
const MIN_CLAUSE = 20;

/**
 * The default subject, at most SUBJECT_CHARS and never cut inside a word: the
 * site's name and the lead Story's title when both fit; else the title alone
 * (the From name already says who sends it); else the title's first whole
 * clauses ("Defector tells UN of camps: ..." -> "Defector tells UN of camps");
 * else the site's name and the week in words, or the week alone. Editors
 * usually rewrite it.
 */
export function defaultSubject(siteTitle: string, leadTitle: string, week: string): string {
  const site = oneLine(siteTitle);
  const lead = oneLine(leadTitle);
  const fits = (text: string) => text.length > 0 && text.length <= SUBJECT_CHARS;
  const candidates = lead === '' ? [] : [`${site}: ${lead}`, lead, leadingClauses(lead)];
  return [...candidates, `${site}: ${week}`].find(fits) ?? `Weekly email, ${week}`;
}

/** The longest run of whole clauses the title starts with that fits, or '' when none is long enough to say something. */
function leadingClauses(title: string): string {
  let best = '';
  // Clauses end at `:`, `;`, `,`, `?`, `!` before a space, or at a spaced dash or bar (not at `.`: "Dr. Lee", "U.S. envoy").
  for (const match of title.matchAll(/([:;,])\s|([?!])\s|\s[-–—|]\s/g)) {
    const clause = title.slice(0, match.index + (match[2] ? 1 : 0)).trim();
    if (clause.length >= MIN_CLAUSE && clause.length <= SUBJECT_CHARS && clause.length > best.length) best = clause;
  }
  return best;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
