import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../../src/ingest/feed/xml.js';
import { elements, innerHtml, NS, textContent, type XmlElement } from '../../../../src/ingest/feed/xml-tree.js';

const context = { url: 'https://example.org/feeds/a.xml', name: 'test' };
const tree = (text: string) => parseXml(text, context);
const child = (element: XmlElement, index = 0): XmlElement => elements(element)[index]!;

describe('parseXml', () => {
  it('resolves namespaces, including aliases and well-known undeclared prefixes', () => {
    const { root, warnings } = tree(
      '<rss xmlns:it="http://www.itunes.com/DTDs/Podcast-1.0.dtd"><it:author>A</it:author><dc:creator>B</dc:creator><x:y>C</x:y></rss>',
    );
    expect(elements(root).map((e) => [e.ns, e.local])).toEqual([
      [NS.itunes, 'author'],
      [NS.dc, 'creator'],
      ['x', 'y'], // an unknown undeclared prefix stays apart from every real namespace
    ]);
    expect(warnings.filter((w) => w.includes('undeclared namespace prefix'))).toHaveLength(2);
  });

  it('keeps xml:base and xml:lang in scope, each base resolved against its parent', () => {
    const { root } = tree('<feed xml:base="/news/" xml:lang="ko"><entry xml:base="2024/"><content/></entry></feed>');
    const content = child(child(root));
    expect(root.base).toBe('https://example.org/news/');
    expect(content.base).toBe('https://example.org/news/2024/');
    expect(content.lang).toBe('ko');
  });

  it('reads CDATA as text, skips comments and processing instructions, decodes references', () => {
    const { root } = tree('<?xml version="1.0"?><a><!-- note --><![CDATA[<b>&amp;</b>]]> &amp; &#x41;&#66; &eacute;<?pi x?></a>');
    expect(textContent(root)).toBe('<b>&amp;</b> & AB é');
  });

  it('normalises tabs and line breaks in attribute values (XML 1.0 §3.3.3)', () => {
    const { root } = tree('<a title="one\ntwo&#10;three" b=\'x\' c=bare/>');
    expect(root.attrs.map((a) => [a.qname, a.value])).toEqual([['title', 'one two\nthree'], ['b', 'x'], ['c', 'bare']]);
  });

  it('writes inline markup out as HTML: void elements, foreign elements, escaped text and attributes', () => {
    const { root } = tree(
      '<c xmlns:svg="http://www.w3.org/2000/svg"><p class="a&quot;b">1 &lt; 2<br/>x</p><br>stray</br><svg:svg><svg:circle r="1"/></svg:svg></c>',
    );
    expect(innerHtml(root)).toBe('<p class="a&quot;b">1 &lt; 2<br />x</p><br />stray<svg><circle r="1" /></svg>');
  });

  it('repairs what feed readers repair, and says so', () => {
    const { root, warnings } = tree('junk<rss><a>x < y & z</b></a><c></rss><rss2/>');
    expect(elements(root).map((e) => e.local)).toEqual(['a', 'c']);
    expect(textContent(root)).toBe('x < y & z');
    expect(warnings.join('\n')).toMatch(/text outside the root element[\s\S]*starts no tag[\s\S]*unescaped "&"[\s\S]*<\/b> matches no open element[\s\S]*<c> closed by <\/rss>[\s\S]*second root/);
  });

  it('keeps an unknown entity as written, with a warning', () => {
    const { root, warnings } = tree('<a>&bogus; &nbsp;</a>');
    expect(textContent(root)).toBe('&bogus; \u00a0');
    expect(warnings.join()).toContain('unknown entity &bogus;');
  });

  it('finds nothing for names that are members of Object (constructor, __proto__)', () => {
    const { root } = tree('<a xmlns:__proto__="u"><constructor:b>&constructor; &toString;</constructor:b><__proto__:c/></a>');
    expect(elements(root).map((e) => e.ns)).toEqual(['constructor', 'u']);
    expect(textContent(root)).toBe('&constructor; &toString;');
  });

  it('caps the warnings it keeps', () => {
    const { warnings } = tree(`<a>${'</x>'.repeat(50)}</a>`);
    expect(warnings).toHaveLength(11);
    expect(warnings[10]).toBe('XML: 40 more problems');
  });
});
