/**
 * A local HTTP server of RSS feeds for tests and benchmarks: `/feed/<n>.xml`
 * answers with whatever `render(n)` gives at that moment (so a test can make
 * the feeds grow), anything else with 404.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from '../../src/html/text.js';

/** Config entries for `count` feed Sources on this server (`outlet-<n>`, `/feed/<n>.xml`), its loopback address allowed. */
export function localFeedSources(base: string, count: number): { id: string; kind: 'feed'; name: string; url: string; allowAddresses: string[] }[] {
  return Array.from({ length: count }, (_, f) => ({ id: `outlet-${f}`, kind: 'feed', name: `Outlet ${f}`, url: `${base}/feed/${f}.xml`, allowAddresses: ['127.0.0.1'] }));
}

export interface FeedItem {
  guid: string;
  title: string;
  text: string;
}

export function rssFeed(title: string, base: string, items: FeedItem[], published: Date): string {
  const entries = items.map(
    (item) =>
      `<item><title>${escapeHtml(item.title)}</title><link>${base}/a/${item.guid}</link><guid isPermaLink="false">${item.guid}</guid>` +
      `<pubDate>${published.toUTCString()}</pubDate><description><![CDATA[${item.text.split('\n\n').map((p) => `<p>${p}</p>`).join('')}]]></description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${escapeHtml(title)}</title><link>${base}/</link><description>d</description>${entries.join('')}</channel></rss>`;
}

/**
 * `delayMs` holds each answer back that long (a slow outlet, so a test can break
 * something while fetches are in flight); `/hang` accepts the request and never answers,
 * `/trickle` starts a feed and never ends it. `pages`: HTML pages by path (a site's
 * page naming its feeds, for discovery).
 */
export async function startFeedServer(
  render: (feed: number, base: string) => string,
  options: { delayMs?: number; pages?: Record<string, (base: string) => string> } = {},
): Promise<{ base: string; close(): Promise<void> }> {
  let base = '';
  const server = createServer((request, response) => {
    if (request.url === '/hang') return;
    if (request.url === '/trickle') {
      // Headers at once, then a byte every half second for ever: only a total time limit ends it.
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      response.write('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>');
      const timer = setInterval(() => response.write(' '), 500);
      response.on('close', () => clearInterval(timer));
      return;
    }
    const page = options.pages?.[request.url ?? ''];
    if (page) return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(base));
    const match = /^\/feed\/(\d+)\.xml$/.exec(request.url ?? '');
    if (!match) return void response.writeHead(404).end();
    const answer = () => response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(render(Number(match[1]), base));
    if (options.delayMs) setTimeout(answer, options.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: () => {
      // A hanging request would keep close() waiting for ever.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
