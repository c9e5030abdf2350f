import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/errors.js';
import { parseOpml } from '../../../../src/ingest/feed/opml.js';
import { parseStrictXml, XmlSyntaxError } from '../../../../src/ingest/feed/strict-xml.js';
import { parseWordpressExport } from '../../../../src/ingest/feed/wxr.js';

function failure(read: () => unknown): Error {
  try {
    read();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('parseStrictXml', () => {
  it('returns the root of a well-formed document', () => {
    expect(parseStrictXml('<a x="1"><b>t</b></a>', 'f.xml').qname).toBe('a');
  });

  it('refuses every fault parse-xml would repair', () => {
    for (const xml of ['', '  \n', 'text', '<a><b></a>', '<a>x & y</a>', '<a>&bogus;</a>', '<a></a><b/>', '<a>', '<a></b></a>']) {
      expect(failure(() => parseStrictXml(xml, 'f.xml')), JSON.stringify(xml)).toBeInstanceOf(XmlSyntaxError);
    }
    expect(failure(() => parseStrictXml('<a><b></a>', 'f.xml')).message).toMatch(/^<b> closed by <\/a> \(line 1\)$/);
  });

  it('accepts prefixes used without a declaration, however many', () => {
    const many = Array.from({ length: 20 }, (_, i) => `<wp:e${i} wp:x="1"/>`).join('');
    expect(parseStrictXml(`<root>${many}</root>`, 'f.xml').children).toHaveLength(20);
  });

  it('still refuses a fault hidden behind more than ten undeclared-prefix warnings', () => {
    const many = Array.from({ length: 20 }, (_, i) => `<wp:e${i}/>`).join('');
    expect(failure(() => parseStrictXml(`<root>${many}</oops></root>`, 'f.xml'))).toBeInstanceOf(XmlSyntaxError);
  });

  it('refuses entity expansion attacks', () => {
    const bomb = '<!DOCTYPE a [<!ENTITY x "aa"><!ENTITY y "&x;&x;">]><a>&y;</a>';
    expect(failure(() => parseStrictXml(bomb, 'f.xml'))).toBeInstanceOf(XmlSyntaxError);
    const xxe = '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>';
    expect(failure(() => parseStrictXml(xxe, 'f.xml'))).toBeInstanceOf(XmlSyntaxError);
  });
});

describe('WordPress exports and OPML read with parse-xml', () => {
  it('reads a hand-trimmed export whose wp: prefix is not declared', () => {
    const xml = '<rss version="2.0"><channel><wp:wxr_version>1.2</wp:wxr_version>' +
      '<item><title>T</title><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item></channel></rss>';
    expect(parseWordpressExport(xml, 'trimmed.xml')).toMatchObject([{ title: 'T', postType: 'post', status: 'publish' }]);
  });

  it('finds the WXR elements by namespace, whatever the prefix', () => {
    const xml = '<rss version="2.0" xmlns:w="http://wordpress.org/export/1.1/" xmlns:c="http://purl.org/rss/1.0/modules/content/">' +
      '<channel><item><title>T</title><w:post_type>page</w:post_type><c:encoded><![CDATA[<p>Hi</p>]]></c:encoded></item></channel></rss>';
    expect(parseWordpressExport(xml, 'prefixed.xml')).toMatchObject([{ postType: 'page', contentHtml: '<p>Hi</p>' }]);
  });

  it('refuses an unescaped ampersand, and a DOCTYPE entity bomb, as the format stage', () => {
    const archive = failure(() => parseWordpressExport('<rss><channel>a & b</channel></rss>', 'bad.xml'));
    expect(archive).toBeInstanceOf(InputError);
    expect(archive.message).toMatch(/^archive: bad\.xml: not a WordPress export: invalid XML: unescaped "&"/);
    const opml = failure(() => parseOpml('<!DOCTYPE o [<!ENTITY e SYSTEM "http://x/">]><opml><body/></opml>', 'x.opml'));
    expect(opml).toBeInstanceOf(InputError);
    expect((opml as InputError).stage).toBe('opml');
    expect(opml.message).toMatch(/^opml: x\.opml: not an OPML document: invalid XML: /);
  });
});
