import { describe, expect, it } from 'vitest';
import { discoverFeedLinks, looksLikeChallenge, looksLikeHtml } from '../../../../src/ingest/fetch/discover.js';

const PAGE = 'https://www.dailynk.com/english/category/news/';

describe('discoverFeedLinks', () => {
  it('finds RSS, Atom and JSON feed links in page order, resolved against the page', () => {
    const html = `<!doctype html><html><head>
      <link rel="stylesheet" href="/style.css" type="text/css">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed/">
      <LINK REL="Alternate" TYPE="Application/Atom+XML" HREF="atom.xml" />
      <link rel='alternate' type='application/feed+json' href='https://cdn.dailynk.com/feed.json'>
      <link rel=alternate type=application/json href=../feed.json>
      <link rel="alternate" hreflang="ko" type="text/html" href="/ko/">
    </head><body></body></html>`;
    expect(discoverFeedLinks(html, PAGE)).toEqual([
      'https://www.dailynk.com/feed/',
      'https://www.dailynk.com/english/category/news/atom.xml',
      'https://cdn.dailynk.com/feed.json',
      'https://www.dailynk.com/english/category/feed.json',
    ]);
  });

  it('honours <base href>, decodes entities and drops duplicates', () => {
    const html = `<head><base href="https://feeds.example.org/nk/">
      <link rel="alternate" type="application/rss+xml" href="rss?lang=en&amp;topic=defectors">
      <link rel="alternate" type="application/rss+xml" href="https://feeds.example.org/nk/rss?lang=en&#38;topic=defectors">
      <link type="application/atom+xml; charset=utf-8" href="/atom" rel="home alternate"></head>`;
    expect(discoverFeedLinks(html, PAGE)).toEqual([
      'https://feeds.example.org/nk/rss?lang=en&topic=defectors',
      'https://feeds.example.org/atom',
    ]);
  });

  it('ignores links in comments and scripts, without href, of other rels, or to other schemes', () => {
    const html = `<!-- <link rel="alternate" type="application/rss+xml" href="/old"> -->
      <script>document.write('<link rel="alternate" type="application/rss+xml" href="/js">')</script>
      <link rel="alternate" type="application/rss+xml">
      <link rel="feed" type="application/rss+xml" href="/not-alternate">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" type="application/rss+xml" href="ftp://example.org/feed">`;
    expect(discoverFeedLinks(html, PAGE)).toEqual([]);
  });
});

describe('looksLikeHtml', () => {
  const b = (text: string) => Buffer.from(text);
  it('trusts the body before the Content-Type', () => {
    expect(looksLikeHtml(b('<?xml version="1.0"?><rss version="2.0"></rss>'), 'text/html')).toBe(false);
    expect(looksLikeHtml(b('\uFEFF  <rss version="2.0"></rss>'), 'text/html; charset=utf-8')).toBe(false);
    expect(looksLikeHtml(b('<feed xmlns="http://www.w3.org/2005/Atom"></feed>'), null)).toBe(false);
    expect(looksLikeHtml(b('{"version":"https://jsonfeed.org/version/1.1"}'), 'text/html')).toBe(false);
    expect(looksLikeHtml(b('<!DOCTYPE html><html><head>'), 'application/xml')).toBe(true);
    expect(looksLikeHtml(b('<!-- generated --> <html lang="en">'), null)).toBe(true);
  });
  it('falls back to the Content-Type when the body says nothing', () => {
    expect(looksLikeHtml(b('<div>hello</div>'), 'text/html; charset=utf-8')).toBe(true);
    expect(looksLikeHtml(b('<div>hello</div>'), 'application/xhtml+xml')).toBe(true);
    expect(looksLikeHtml(b('hello'), 'text/plain')).toBe(false);
    expect(looksLikeHtml(b(''), null)).toBe(false);
  });
});

describe('looksLikeChallenge', () => {
  it('recognises bot walls and not ordinary pages or feeds', () => {
    const cloudflare = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script></body></html>';
    expect(looksLikeChallenge(Buffer.from(cloudflare), 'text/html')).toBe(true);
    expect(looksLikeChallenge(Buffer.from('<html><body>Request unsuccessful. Incapsula incident ID _Incapsula_Resource</body></html>'), 'text/html')).toBe(true);
    expect(looksLikeChallenge(Buffer.from('<html><head><title>Daily NK</title></head></html>'), 'text/html')).toBe(false);
    expect(looksLikeChallenge(Buffer.from('<rss><channel><title>Just a moment...</title></channel></rss>'), 'text/html')).toBe(false);
  });
});
