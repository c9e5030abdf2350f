/**
 * RSS 2.0 with the `feed` package. Its `<author>` element is for an email
 * address (RSS 2.0 spec), so Outlets go into `<dc:creator>` instead.
 */
import { Feed, type Item } from 'feed';
import { type FeedHead, GENERATOR, type PreparedEntry } from './feed-entry.js';
import { cdata, xmlText } from './xml-text.js';

function rssItem(entry: PreparedEntry): Item {
  return {
    // RSS titles are plain text; CDATA keeps `<` and `&` as they are.
    title: cdata(entry.title),
    // `feed` writes the id as <guid isPermaLink="false">: our ids are not URLs of pages.
    id: xmlText(entry.id),
    // `feed` skips an empty link, and typing it as required is its only demand.
    link: entry.link ?? '',
    date: entry.updated,
    published: entry.published,
    description: entry.summaryHtml === '' ? undefined : cdata(entry.summaryHtml),
    content: cdata(entry.contentHtml),
    // A Topic is written by its name, with the address of its Feeds as the domain (RSS 2.0 <category domain>).
    category:
      entry.categories.length === 0
        ? undefined
        : entry.categories.map((c) => ({ name: xmlText(c.label ?? c.term), ...(c.scheme ? { domain: xmlText(c.scheme) } : {}) })),
    // One <dc:creator> per Outlet. `feed` declares the dc namespace whenever an
    // item has content, and every prepared entry has. No RSS <source>: it
    // requires the url of the Outlet's own channel, which we do not know.
    extensions:
      entry.outlets.length === 0
        ? undefined
        : [
            {
              name: 'dc:creator',
              // xml-js writes an array as repeated elements; `Extension.objects` is typed as one object.
              objects: entry.outlets.map((name) => ({ _text: xmlText(name) })) as unknown as Record<string, unknown>,
            },
          ],
  };
}

export function renderRss(head: FeedHead, entries: PreparedEntry[]): string {
  const feed = new Feed({
    title: xmlText(head.title),
    description: xmlText(head.description),
    link: head.siteUrl,
    language: head.language === '' ? undefined : xmlText(head.language),
    feedLinks: { rss: head.links.rss },
    updated: head.updated,
    generator: GENERATOR,
  });
  for (const entry of entries) feed.addItem(rssItem(entry));
  return feed.rss2();
}
