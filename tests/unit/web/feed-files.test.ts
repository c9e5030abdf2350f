import { describe, expect, it } from 'vitest';
import { feedFileName } from '../../../src/web/feed-files.js';

describe('feedFileName: the allow-list of what serve reads from disk', () => {
  it('allows the Feeds, the Editions Feed and sent Editions’ pages', () => {
    for (const name of ['feed.xml', 'atom.xml', 'feed.json', 'topics/escape.atom', 'editions.xml', 'editions.atom', 'editions.json', 'email/2026-W47.html', 'email/2026-W47-2.html']) {
      expect(feedFileName(`/${name}`), name).toBe(name);
    }
  });

  it('refuses anything else, traversal and look-alikes included', () => {
    for (const name of [
      'email/../package.json',
      'email/..%2Fpackage.json',
      'email/2026-W47.html.tmp',
      'email/2026-W47.htm',
      'email/2026-w47.html',
      'email/2026-W47/x.html',
      'email/edition.html',
      'email/.html',
      'edition.html',
      'editions/2026-W47.html',
      'editions.xml.tmp',
      'editions.rss',
      'topics/../feed.xml',
    ]) {
      expect(feedFileName(`/${name}`), name).toBeNull();
    }
  });
});
