import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/errors.js';
import { parseOpml, toOpml, type OpmlFeed } from '../../../../src/ingest/feed/opml.js';

const NOW = new Date('2024-05-07T08:00:00Z');

function problem(xml: string): InputError {
  try {
    parseOpml(xml, 'subs.opml');
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseOpml', () => {
  it('reads OPML 2.0 with folders: the enclosing folder is the category', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline type="rss" text="Daily NK" title="Daily NK" xmlUrl="https://www.dailynk.com/english/feed/" htmlUrl="https://www.dailynk.com/english/"/>
    <outline text="Korea" title="Korea">
      <outline type="rss" text="NK News" xmlUrl="https://www.nknews.org/feed/" htmlUrl="https://www.nknews.org/"/>
      <outline text="Rights">
        <outline type="atom" text="HRW &amp; friends" xmlUrl="https://www.hrw.org/rss/news?country=north-korea&amp;lang=en"/>
      </outline>
    </outline>
    <outline text="Empty folder"/>
  </body>
</opml>`;
    expect(parseOpml(xml, 'subs.opml')).toEqual<OpmlFeed[]>([
      { title: 'Daily NK', xmlUrl: 'https://www.dailynk.com/english/feed/', htmlUrl: 'https://www.dailynk.com/english/', category: null },
      { title: 'NK News', xmlUrl: 'https://www.nknews.org/feed/', htmlUrl: 'https://www.nknews.org/', category: 'Korea' },
      { title: 'HRW & friends', xmlUrl: 'https://www.hrw.org/rss/news?country=north-korea&lang=en', htmlUrl: null, category: 'Rights' },
    ]);
  });

  it('reads OPML 1.0 as feed readers write it: any outline with xmlUrl, any case, title fallbacks', () => {
    const xml = `<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0">
  <head><title>export</title></head>
  <body>
    <outline title="Only a title" xmlurl="http://example.org/rss.xml" htmlurl="not a url"/>
    <outline XMLURL="feed://example.net/atom.xml"/>
    <outline text="VoA" xmlUrl="feed:https://www.voanews.com/api/feed" category="/News/Asia,/Other"/>
    <outline text="dup" xmlUrl="http://example.org/rss.xml"/>
  </body>
</opml>`;
    expect(parseOpml(xml, 'subs.opml')).toEqual<OpmlFeed[]>([
      { title: 'Only a title', xmlUrl: 'http://example.org/rss.xml', htmlUrl: null, category: null },
      { title: 'http://example.net/atom.xml', xmlUrl: 'http://example.net/atom.xml', htmlUrl: null, category: null },
      { title: 'VoA', xmlUrl: 'https://www.voanews.com/api/feed', htmlUrl: null, category: 'Asia' },
    ]);
  });

  it('accepts an OPML without subscriptions', () => {
    expect(parseOpml('<opml version="2.0"><head/><body/></opml>', 'empty.opml')).toEqual([]);
  });

  it('rejects what is not OPML, with the stage and file in the message', () => {
    expect(problem('<opml><body><outline></opml>').message).toMatch(/^opml: subs\.opml: not an OPML document: invalid XML: /);
    expect(problem('').message).toMatch(/not an OPML document: invalid XML: empty document/);
    expect(problem('<rss version="2.0"><channel/></rss>').message).toBe('opml: subs.opml: not an OPML document: root element is <rss>, not <opml>');
    expect(problem('<opml version="2.0"><head/></opml>').message).toBe('opml: subs.opml: not an OPML document: no <body>');
    expect(problem('<opml><body><outline text="Bad" xmlUrl="javascript:alert(1)"/></body></opml>').message).toBe(
      'opml: subs.opml: outline "Bad": xmlUrl is not an http(s) address: javascript:alert(1)',
    );
    expect(problem('<opml/>').stage).toBe('opml');
  });
});

describe('toOpml', () => {
  const feeds: OpmlFeed[] = [
    { title: 'NK News', xmlUrl: 'https://www.nknews.org/feed/', htmlUrl: 'https://www.nknews.org/', category: 'Korea' },
    { title: 'Daily NK', xmlUrl: 'https://www.dailynk.com/english/feed/', htmlUrl: null, category: 'Korea' },
    { title: 'Tom & Jerry\'s "<News>"', xmlUrl: 'https://example.org/feed?a=1&b=2', htmlUrl: null, category: null },
    { title: 'HRW', xmlUrl: 'https://www.hrw.org/rss/news', htmlUrl: 'https://www.hrw.org/', category: 'Rights & Law' },
  ];

  it('writes OPML 2.0 grouped by category, escaped, in a fixed order', () => {
    expect(toOpml(feeds, 'newsdesk <Sources>', NOW)).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>newsdesk &lt;Sources&gt;</title>
    <dateCreated>Tue, 07 May 2024 08:00:00 GMT</dateCreated>
  </head>
  <body>
    <outline type="rss" text="Tom &amp; Jerry's &quot;&lt;News&gt;&quot;" title="Tom &amp; Jerry's &quot;&lt;News&gt;&quot;" xmlUrl="https://example.org/feed?a=1&amp;b=2"/>
    <outline text="Korea" title="Korea">
      <outline type="rss" text="Daily NK" title="Daily NK" xmlUrl="https://www.dailynk.com/english/feed/"/>
      <outline type="rss" text="NK News" title="NK News" xmlUrl="https://www.nknews.org/feed/" htmlUrl="https://www.nknews.org/"/>
    </outline>
    <outline text="Rights &amp; Law" title="Rights &amp; Law">
      <outline type="rss" text="HRW" title="HRW" xmlUrl="https://www.hrw.org/rss/news" htmlUrl="https://www.hrw.org/"/>
    </outline>
  </body>
</opml>
`);
  });

  it('is deterministic: the same feeds in any order give the same document', () => {
    expect(toOpml([...feeds].reverse(), 'x', NOW)).toBe(toOpml(feeds, 'x', NOW));
  });

  it('round-trips through parseOpml', () => {
    const written = toOpml(feeds, 'newsdesk', NOW);
    const read = parseOpml(written, 'out.opml');
    expect([...read].sort((a, b) => a.xmlUrl.localeCompare(b.xmlUrl))).toEqual(
      [...feeds].sort((a, b) => a.xmlUrl.localeCompare(b.xmlUrl)),
    );
    expect(toOpml(read, 'newsdesk', NOW)).toBe(written);
  });

  it('keeps characters XML cannot hold out of the document', () => {
    const odd: OpmlFeed = { title: 'Bell\u0007 and\ttab', xmlUrl: 'https://example.org/f', htmlUrl: null, category: null };
    const written = toOpml([odd], 'x', NOW);
    expect(written).toContain('text="Bell and&#9;tab"');
    expect(parseOpml(written, 'out.opml')[0]?.title).toBe('Bell and tab');
  });
});
