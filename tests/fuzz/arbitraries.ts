/**
 * Shared pieces of the property tests: the iteration budget and generators for
 * hostile HTML, odd addresses and word texts. (Not a test file: vitest runs
 * only `*.test.ts`.)
 */
import fc from 'fast-check';
import type { ShingledText } from '../../src/dedupe/containment.js';

/** Iterations per property: bounded for `npm test`, raised with NEWSDESK_FUZZ_RUNS for a longer hunt. */
export const runs = Number(process.env.NEWSDESK_FUZZ_RUNS ?? 200);

/** A URL scheme spelled the ways filters miss: case, whitespace, control characters, entities. */
const hostileUrl = fc.constantFrom(
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'java&#x09;script:alert(1)',
  '&#106;avascript:alert(1)', 'javascript&colon;alert(1)', '\u0000javascript:alert(1)', 'jav\nascript:x', 'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>', 'data:image/png;base64,AAAA', 'DATA:text/html;base64,PHNjcmlwdD4=',
  'livescript:x', 'file:///etc/passwd', 'ftp://example.org/f',
);

/** Addresses a feed may give: absolute, relative, protocol-relative, blank, broken. */
export const linkish = fc.oneof(
  hostileUrl,
  fc.constantFrom(
    'https://www.nknews.org/2024/05/story/?utm_source=rss&amp=1#c', 'http://example.org', 'HTTPS://EXAMPLE.ORG:443/A/./b/../c',
    '/relative/path', 'next/', '../up', '?q=1', '#frag', '//cdn.example.com/x.jpg', 'mailto:desk@example.org', '', '   ',
    'http://', 'https://[::1]/x', 'http://user:pass@example.org/', 'https://example.org/%7Euser/%zz', 'https://例え.jp/パス',
    'https://www-x-org.cdn.ampproject.org/c/s/x.org/a/amp/', 'not a url at all', 'https://exa mple.org/',
  ),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string({ maxLength: 30 }),
);

/** The sanitiser's allow-list (sanitize.ts), written out again so a change there is a decision here too. */
const ALLOW_LIST = ['p', 'br', 'a', 'strong', 'em', 'b', 'i', 'blockquote', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'figure', 'figcaption', 'img', 'pre', 'code', 'q', 'cite', 'sup', 'sub'];

const tagName = fc.constantFrom(
  ...ALLOW_LIST,
  // mapped or dropped
  'h1', 'h5', 'h6', 'div', 'span', 'table', 'tr', 'td',
  // dropped with their content, and other dangerous ones
  'script', 'SCRIPT', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'svg', 'math', 'noscript', 'template', 'textarea', 'title',
  'xmp', 'plaintext', 'base', 'meta', 'link', 'body', 'html', 'head', 'frameset', 'video', 'audio', 'source',
);

const attrName = fc.constantFrom(
  'href', 'src', 'HREF', 'title', 'alt', 'width', 'height', 'rel', 'class', 'style', 'id', 'target', 'srcset', 'action', 'formaction',
  'onclick', 'onerror', 'ONLOAD', 'onmouseover', 'xlink:href', 'cite', 'data-x', 'background', 'poster',
);

const attrValue = fc.oneof(linkish, fc.constantFrom('100%', '640', 'alert(1)', 'x" onerror="alert(1)', "'><script>alert(1)</script>", 'expression(alert(1))'), fc.string({ maxLength: 12 }));

const attribute = fc
  .tuple(attrName, attrValue, fc.constantFrom('"', "'", ''))
  // Each value stays inside its attribute: unquoted ones lose what would end them early or quote them.
  .map(([name, value, quote]) => (quote === '' ? ` ${name}=${value.replace(/[\s>"'`=<]/g, '') || 'x'}` : ` ${name}=${quote}${value.split(quote).join('')}${quote}`));

const openTagOf = (names: fc.Arbitrary<string>) =>
  fc
    .tuple(names, fc.array(attribute, { maxLength: 3 }), fc.boolean())
    .map(([name, attrs, selfClosing]) => `<${name}${attrs.join('')}${selfClosing ? ' /' : ''}>`);
const openTag = openTagOf(tagName);

const htmlText = fc.oneof(
  fc.constantFrom(
    'Kim & Moon', 'café', '“quoted”', ' ', '\n', '\t', '\u00a0', '&amp;', '&amp;amp;', '&nbsp;', '&eacute;', '&#8217;', '&#x41;', '&bogus;',
    '&quot;', '&gt;', '&#0;', '&#xD800;', '5 > 4', 'a < 1', '<', '>', '<!-- comment -->', '<!--', '<![CDATA[x<b>y]]>', ']]>', '<!DOCTYPE html>',
    '<?php echo 1 ?>', '</', '<3', 'Read more…', 'javascript:alert(1)', 'onclick=alert(1)',
  ),
  fc.string({ maxLength: 15 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

/** HTML as a Source may send it: tags in any order and nesting, hostile attributes, entities, stray brackets. */
export const hostileHtml = fc
  .array(fc.oneof(openTag, tagName.map((name) => `</${name}>`), htmlText, htmlText), { maxLength: 30 })
  .map((parts) => parts.join(''));

/**
 * Like hostileHtml, but every tag is on the allow-list (in any case, nesting
 * and order): HTML the sanitiser reads once, without its second pass.
 */
export const allowListedHtml = fc
  .array(
    fc.oneof(
      openTagOf(fc.constantFrom(...ALLOW_LIST, 'P', 'Li', 'A')),
      fc.constantFrom(...ALLOW_LIST).map((name) => `</${name}>`),
      htmlText.filter((text) => !/<[a-z!?/]/i.test(text)),
      htmlText.filter((text) => !/<[a-z!?/]/i.test(text)),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

/**
 * HTML whose every `<` opens markup (a tag, a comment, a doctype): text without
 * `<` or entities that decode to one, and no `<plaintext>` (after which HTML
 * has no markup, only text). Its plain text can hold no `<`.
 */
export const markupOnlyHtml = fc
  .array(
    fc.oneof(
      openTag.filter((tag) => !/^<plaintext/i.test(tag)),
      tagName.map((name) => `</${name}>`),
      fc.constantFrom('Kim & Moon', 'café', '“quoted”', ' ', '\n', '\u00a0', '&amp;', '&amp;lt;', '&nbsp;', '&#8217;', '&#x41;', '&gt;', '5 > 4', 'javascript:alert(1)'),
      fc.string({ maxLength: 15 }).filter((text) => !/[<&]/.test(text)),
      fc.constantFrom('<!-- <b>comment</b> -->', '<!DOCTYPE html>', '<![CDATA[x<b>y]]>'),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

/**
 * Addresses built from the parts canonicalisation rewrites: AMP hosts, paths,
 * caches and switches, trackers, escapes, ports, user info, dots and fragments.
 */
export const canonicalisable = fc
  .tuple(
    fc.constantFrom('http://', 'https://', 'HTTP://', 'HtTpS://', 'ftp://', 'javascript:', ''),
    fc.constantFrom('', 'user@', 'u:p@', ':p@', '%41b@'),
    fc.oneof(
      fc.array(fc.constantFrom('amp', 'www', 'example', 'org', 'com', 'google', 'cdn', 'ampproject', 'x', 'nknews', '', 'xn--bcher-kva', '1', '例え'), { minLength: 1, maxLength: 5 }),
      fc.constantFrom('www.google.com', 'amp.google.com', 'google.co.uk.', 'www-x-org.cdn.ampproject.org', 'x.cdn.ampproject.org.', 'amp.x.cdn.ampproject.org', '1.2.3.4', '[::1]').map((host) => [host]),
    ),
    fc.constantFrom('', '.', '..', ':80', ':443', ':8080', ':0', '.:8080'),
    fc.array(
      fc.constantFrom('amp', 'AMP', 's', 'c', 'story', 'story.amp', 'story.amp.html', 'x.AMP.htm', 'amp.amp', '.amp', '%61mp', 'x%2Eamp', '.', '..', '%2e%2E',
        '', '%7Euser', '%2f', '%2F', '%zz', '%', '북한', 'a b', 'www.google.com', 'amp.google.com', 'y.cdn.ampproject.org', 'www.nknews.org', 'x.org', '@evil.org', 'a%3Fb', 'c%23d', '%63', '..amp', '...amp'),
      { maxLength: 6 },
    ),
    fc.array(
      fc.tuple(
        fc.constantFrom('utm_source', 'UTM_Campaign', 'utm%5Fmedium', 'fbclid', 'gclid', 'amp', 'AMP', 'outputType', 'outputtype', 'ref', 'q', 'a+b', 'a%20b', '%61', 'amp_js_v', 'pk_x', ''),
        fc.constantFrom('', '=', '=1', '=true', '=amp', '=AMP', '=%41', '=%2b', '=a+b', '=%', '=x&y', '=%26', '==', '=YES'),
      ).map(([key, value]) => `${key}${value}`),
      { maxLength: 4 },
    ),
    fc.constantFrom('', '#', '#frag', '#a?b', '?', '?#'),
    fc.constantFrom('', ' ', '\n', '\t'),
  )
  .map(([scheme, auth, labels, port, segments, params, fragment, pad]) => {
    const query = params.length > 0 ? `?${params.join('&')}` : '';
    return `${pad}${scheme}${auth}${labels.join('.')}${port}/${segments.join('/')}${query}${fragment}${pad}`;
  });

/** Short words, with the ones dedupe folds or reads specially: quotes, apostrophes, British spellings, numbers, CJK. */
export const word = fc.oneof(
  fc.constantFrom(
    'kim', 'Moon', 'defectors', 'arrested', 'in', 'China', 'said', 'the', 'a', 'of', 'organisation', 'organization', 'labour', 'travelled',
    '2024', '1,000', "don't", 'don’t', '"quoted', 'words"', '“curly', 'quote”', 'part', '2', '(2/3)', 'Seoul', '북한', '脱北者', 'ｆｕｌｌ', '—', '-', '...',
  ),
  fc.stringMatching(/^[a-z]{1,8}$/),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).filter((w) => /^\S+$/.test(w)),
);

/** Shingled texts with few distinct hashes (so they share many), quoted shingles among their own. */
export const shingled = fc
  .tuple(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 60 }), fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 10 }))
  .map(([hashes, quoted]): ShingledText => ({ shingles: Int32Array.from(hashes), quoted: new Set(quoted.filter((q) => hashes.includes(q))) }));
