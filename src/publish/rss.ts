/**
 * RSS 2.0 with the `feed` package. Its `<author>` element is for an email
 * address (RSS 2.0 spec), so Outlets go into `<dc:creator>` instead.
 */
import { Feed, type Item } from 'feed';
import { type FeedHead, GENERATOR, type PreparedEntry } from './feed-entry.js';
import { cdata, xmlText } from './xml-text.js';

/** What `feed` writes for the title of item `index`, replaced by the title itself (see plainTitles). */
const titleMark = (index: number) => `newsdesk:title:${index}`;

function rssItem(entry: PreparedEntry, index: number): Item {
  return {
    title: titleMark(index),
    // `feed` writes the id as <guid isPermaLink="false">: our ids are not URLs of pages.
    id: xmlText(entry.id),
    // `feed` skips an empty link, and typing it as required is its only demand.
    link: entry.link ?? '',
    // `feed` writes <pubDate> from `published`, else from `date`: neither when
    // the date is not known (RSS 2.0 makes pubDate optional), rather than a
    // date that is only when the entry last changed.
    date: (entry.published ?? undefined) as Date,
    published: entry.published ?? undefined,
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
  entries.forEach((entry, index) => feed.addItem(rssItem(entry, index)));
  return plainTitles(feed.rss2(), entries);
}

/**
 * RSS titles are plain text (RSS 2.0 allows HTML only in <description>), but
 * `feed` writes them raw inside CDATA, where a reader that guesses (feedparser
 * does) takes `<b>` for markup while the Atom Feed says `&lt;b&gt;`. Each is
 * written instead as escaped text, `&`, `<` and `>` as the hexadecimal
 * character references the RSS Best Practices Profile advises for plain text
 * (§ Character Data), the form most aggregators read as it was meant.
 */
function plainTitles(xml: string, entries: PreparedEntry[]): string {
  // One pass over the document: replacing title by title rescanned it once per entry,
  // which made a Feed of a thousand entries cost seconds.
  // Exact and unique: a CDATA section in the content cannot hold `]]></title>`.
  return xml.replace(TITLE_MARKS, (_, index: string) => {
    const title = entries[Number(index)]!.title;
    return `<title>${title.replace(/&/g, '&#x26;').replace(/</g, '&#x3C;').replace(/>/g, '&#x3E;')}</title>`;
  });
}

/** The marks titleMark writes, as `feed` wraps them. */
const TITLE_MARKS = /<title><!\[CDATA\[newsdesk:title:(\d+)\]\]><\/title>/g;
