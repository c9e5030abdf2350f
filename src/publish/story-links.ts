/**
 * Where a Story links, in the Feeds, the email and the Editions' pages: its
 * original (the Outlet's article) when one of its Items gave that address;
 * otherwise its public page on the site, `<site.url>/stories/<id>` (an archive
 * post carries no address, and an entry that opens nothing is no use to a
 * reader). `newsdesk serve` renders that page (src/web/story-page.ts) and
 * publish writes it as `stories/<id>/index.html`, which any static host serves
 * at `/stories/<id>/`, most redirecting `/stories/<id>` there.
 */

/** What a Story id looks like (`st_` and hex); nothing else becomes a path. */
export const STORY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The folder of the Story pages, in the output folder and on the site. */
export const STORY_PAGES_FOLDER = 'stories';

/** The page's file, relative to the output folder. */
export function storyPagePath(storyId: string): string {
  if (!STORY_ID.test(storyId)) throw new RangeError(`publish: story ${storyId}: not a Story id, no page for it`);
  return `${STORY_PAGES_FOLDER}/${storyId}/index.html`;
}

/** The page's address: `https://news.example.org/stories/st_0123`. */
export function storyPageUrl(siteUrl: string, storyId: string): string {
  if (!STORY_ID.test(storyId)) throw new RangeError(`publish: story ${storyId}: not a Story id, no page for it`);
  return `${siteUrl.replace(/\/+$/, '')}/${STORY_PAGES_FOLDER}/${storyId}`;
}

/** An http(s) address as given, else null: nothing else is a link a reader can follow. */
export function originalLink(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url.trim() : null;
  } catch {
    return null;
  }
}

/** The Story's original when known, else its page on the site. */
export function storyLink(siteUrl: string, story: { id: string; url: string | null }): string {
  return originalLink(story.url) ?? storyPageUrl(siteUrl, story.id);
}
