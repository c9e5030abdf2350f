/**
 * Sent Editions in public: a web page each (the email as it went out, with the
 * generic footer links, never a Subscriber's own) at `email/<id>.html`, and the
 * Editions Feed (RSS, Atom, JSON Feed) whose entries link to those pages.
 */
import { renderEdition, type RenderContext } from '../digest/render.js';
import { editionSubject } from '../digest/render-view.js';
import { RenderError } from '../errors.js';
import { escapeHtml, textToHtml } from '../html/sanitize.js';
import { nameBasedId } from './entries.js';
import { storyLink } from './story-links.js';
import type { FeedEntry, FeedFiles, FeedSite } from './feeds.js';
import type { SentEdition } from '../digest/edition.js';

/** The Editions Feed's files, beside the overall Feed's. */
export const EDITION_FEED_FILES: FeedFiles = { rss: 'editions.xml', atom: 'editions.atom', json: 'editions.json' };

/** What an Edition id looks like (`2026-W47`, or `2026-W47-2` after a discard): nothing else becomes a path. */
export const EDITION_ID = /^\d{4}-W\d{2}(?:-\d+)?$/;

/**
 * Where the pages live. Not `editions/`: `newsdesk serve` has the editors' review
 * pages at /editions/<id>, and one path must not mean two things.
 */
export const EDITION_PAGES_FOLDER = 'email';

/** An Edition's page, relative to the output folder (where it is written) and to the site (where it is served). */
export function editionPagePath(editionId: string): string {
  if (!EDITION_ID.test(editionId)) throw new RangeError(`publish: edition ${editionId}: not an Edition id, no page for it`);
  return `${EDITION_PAGES_FOLDER}/${editionId}.html`;
}

/** The page's address, e.g. the web-version link of a sent email: `https://news.example.org/email/2026-W47.html`. */
export function editionPageUrl(siteUrl: string, editionId: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/${editionPagePath(editionId)}`;
}

/** Stable: the Edition's id, never the site address or the time it was published. */
export function editionEntryId(editionId: string): string {
  return nameBasedId(`newsdesk:edition:${editionId}`);
}

const attribute = (text: string) => escapeHtml(text).replace(/"/g, '&quot;');

/** `subject`: the one its page was rendered with (EditionPage), derived here when not given. */
export function editionToFeedEntry(edition: SentEdition, site: FeedSite, subject = editionSubject(edition, site.title)): FeedEntry {
  const stories = edition.entries.map((entry) => {
    const title = `<a href="${attribute(storyLink(site.url, { id: entry.storyId, url: entry.url }))}">${escapeHtml(entry.title)}</a>`;
    return `<li>${title}${entry.outlet ? ` (${escapeHtml(entry.outlet)})` : ''}</li>`;
  });
  const intro = edition.intro.split(/\n\s*\n/);
  return {
    id: editionEntryId(edition.id),
    // The subject the full email had (derived from its first Story unless an editor wrote one).
    title: subject,
    link: editionPageUrl(site.url, edition.id),
    outlets: [],
    categories: [],
    contentHtml: `${textToHtml(intro)}<ul>${stories.join('')}</ul>`,
    summary: edition.intro.trim() || `${edition.entries.length} Stories: ${edition.entries.map((entry) => entry.title).join('; ')}`,
    published: edition.sentAt,
    updated: edition.updatedAt,
  };
}

export interface EditionPage {
  edition: SentEdition;
  /** Relative to the output folder. */
  path: string;
  html: string;
  /** The subject the email had, the title of its entry in the Editions Feed. */
  subject: string;
}

/**
 * The page of each Edition. One render refuses (say the postal address was
 * removed from the config) is left out with the reason, page and Feed entry
 * both, so the Feed never links to a page that is not there.
 */
export async function renderEditionPages(editions: SentEdition[], context: RenderContext): Promise<{ pages: EditionPage[]; refused: string[] }> {
  const pages: EditionPage[] = [];
  const refused: string[] = [];
  // No "read it in your browser" link: this is the browser's copy.
  const publicContext: RenderContext = { ...context, links: { unsubscribe: context.links.unsubscribe, preferences: context.links.preferences } };
  for (const edition of editions) {
    try {
      const { html, subject } = await renderEdition(edition, publicContext);
      pages.push({ edition, path: editionPagePath(edition.id), html, subject });
    } catch (error) {
      if (!(error instanceof RenderError)) throw error;
      refused.push(error.message);
    }
  }
  return { pages, refused };
}
