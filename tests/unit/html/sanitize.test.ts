import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeHtml, summarize, textToHtml } from '../../../src/html/sanitize.js';
import { looksLikeHtml } from '../../../src/html/text.js';

const BASE = 'https://www.nknews.org/2024/05/story/';
const REL = 'rel="noopener noreferrer nofollow"';

describe('sanitizeHtml', () => {
  it('keeps the news allow-list and drops every other tag and attribute', () => {
    const html =
      '<h2 class="x">Head</h2><p style="color:red" id="p1">A <strong>b</strong> <em>c</em> <b>d</b> <i>e</i> ' +
      'x<sup>2</sup> H<sub>2</sub>O <q>quote</q> <cite>Cite</cite> <code>code</code> <span>span</span></p>' +
      '<blockquote><p>Quoted</p></blockquote><ul><li>one</li></ul><ol><li>two</li></ol><h3>h3</h3><h4>h4</h4>' +
      '<figure><img src="https://e.org/a.jpg" alt="A" title="T" width="640" height="480" class="big"><figcaption>Cap</figcaption></figure>' +
      '<pre>pre</pre><br><table><tr><td>cell</td></tr></table>';
    expect(sanitizeHtml(html)).toBe(
      '<h2>Head</h2><p>A <strong>b</strong> <em>c</em> <b>d</b> <i>e</i> ' +
        'x<sup>2</sup> H<sub>2</sub>O <q>quote</q> <cite>Cite</cite> <code>code</code> span</p>' +
        '<blockquote><p>Quoted</p></blockquote><ul><li>one</li></ul><ol><li>two</li></ol><h3>h3</h3><h4>h4</h4>' +
        '<figure><img src="https://e.org/a.jpg" alt="A" title="T" width="640" height="480" /><figcaption>Cap</figcaption></figure>' +
        '<pre>pre</pre><br />cell',
    );
  });

  it('drops scripts, styles, embeds and forms with their content', () => {
    const html =
      '<p>keep</p><script>alert(1)</script><style>p{}</style><iframe src="https://e.org">frame</iframe>' +
      '<object data="x.swf">obj</object><embed src="x.swf"><form action="/x"><input name="q"><button>Go</button></form>' +
      '<noscript>ns</noscript><svg><script>alert(2)</script></svg>';
    expect(sanitizeHtml(html)).toBe('<p>keep</p>');
  });

  it('drops the fallbacks of embeds and frames with their content, not as escaped markup', () => {
    // sanitize-html's parser reads <noembed> and <noframes> as raw text (found by the property tests).
    expect(sanitizeHtml('<p>Watch <embed src="x.swf"><noembed><a href="https://e.org/v">the video</a></noembed></p>')).toBe('<p>Watch </p>');
    expect(sanitizeHtml('<noframes><p>No frames</p></noframes><p>ok</p>')).toBe('<p>ok</p>');
  });

  it('drops event handlers and script URLs, however they are spelled', () => {
    const html =
      '<p onclick="x()" onmouseover="y()">t</p><img src="https://e.org/a.jpg" onerror="alert(1)">' +
      '<a href="javascript:alert(1)">a</a><a href="JaVaScRiPt:alert(1)">b</a><a href="jav&#x09;ascript:alert(1)">c</a>' +
      '<a href="&#106;avascript:alert(1)">d</a><a href=" javascript:alert(1)">e</a><a href="vbscript:x">f</a>' +
      '<a href="data:text/html,<script>alert(1)</script>">g</a><img src="javascript:alert(1)"><img src="data:image/png;base64,AAAA">';
    for (const base of [undefined, BASE]) {
      const out = sanitizeHtml(html, base);
      expect(out).not.toMatch(/on(click|mouseover|error)|javascript|vbscript|data:|alert|<script/i);
      expect(out).toContain('<p>t</p>');
      expect(out).toContain('<img src="https://e.org/a.jpg" />');
      expect(out.match(/<img/g)).toHaveLength(1); // images without a safe src are gone
      expect(out).toContain(`<a ${REL}>c</a>`); // link text stays
    }
  });

  it('allows only http, https and mailto URLs and resolves relative ones against baseUrl', () => {
    const html =
      '<a href="/about?a=1&amp;b=2" target="_blank">about</a> <a href="next/">next</a> <a href="//cdn.example.com/x">cdn</a> ' +
      '<a href="mailto:desk@example.org">mail</a> <a href="ftp://e.org/f">ftp</a> <img src="pic.jpg" alt="p">';
    expect(sanitizeHtml(html, BASE)).toBe(
      `<a href="https://www.nknews.org/about?a=1&amp;b=2" ${REL}>about</a> ` +
        `<a href="https://www.nknews.org/2024/05/story/next/" ${REL}>next</a> ` +
        `<a href="https://cdn.example.com/x" ${REL}>cdn</a> <a href="mailto:desk@example.org" ${REL}>mail</a> ` +
        `<a ${REL}>ftp</a> <img src="https://www.nknews.org/2024/05/story/pic.jpg" alt="p" />`,
    );
    // Without a base, relative paths stay; a protocol-relative URL has no known scheme and goes.
    expect(sanitizeHtml(html)).toBe(
      `<a href="/about?a=1&amp;b=2" ${REL}>about</a> <a href="next/" ${REL}>next</a> <a ${REL}>cdn</a> ` +
        `<a href="mailto:desk@example.org" ${REL}>mail</a> <a ${REL}>ftp</a> <img src="pic.jpg" alt="p" />`,
    );
  });

  it('sets rel on every link, replacing what the Source had', () => {
    expect(sanitizeHtml('<a href="https://e.org" rel="opener" title="T">x</a>')).toBe(
      `<a href="https://e.org" rel="noopener noreferrer nofollow" title="T">x</a>`,
    );
  });

  it('maps h1 to h2 and h5/h6 to h4, and keeps only pixel sizes on images', () => {
    expect(sanitizeHtml('<h1>a</h1><h5>b</h5><h6>c</h6>')).toBe('<h2>a</h2><h4>b</h4><h4>c</h4>');
    expect(sanitizeHtml('<img src="https://e.org/a.jpg" width="100%" height="20">')).toBe('<img src="https://e.org/a.jpg" height="20" />');
  });

  it('is idempotent: sanitising its output again changes nothing', () => {
    const corpus = [
      '<p>one<p>two</p><ul><li>a<li>b</ul>',
      '<p>Kim &amp; Moon &lt;talks&gt; “quoted” &nbsp; &eacute; ]]> &#8217;</p>',
      '<a href="https://e.org/a b?x=<y>&q=\'1\'" title="a &quot;b&quot; <c>">x</a>',
      '<h1>T <b>bold</b></h1><div>a</div><div>b<br>c</div>',
      '<blockquote><p>q <a href="/x">x</a></blockquote><figure><img src="i.png"><figcaption>c</figcaption>',
      '<p>unclosed <strong>bold <em>both</p> after',
      '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)><script>1</script>',
      // Found by the property tests: a dropped tag left <p> in <p>, which reads as separate paragraphs.
      '<p><span><p>',
      '<p>Intro <span>quoted <p>para</p></span></p>',
      '<h2><table><h2>x</h2></table></h2>',
    ];
    for (const html of corpus) {
      for (const base of [undefined, BASE]) {
        const once = sanitizeHtml(html, base);
        expect(sanitizeHtml(once, base)).toBe(once);
      }
    }
  });
});

describe('htmlToText', () => {
  it('separates paragraphs with a blank line and decodes entities', () => {
    const html =
      '<h2>Title</h2><p>Kim &amp; Moon &lt;talks&gt; &ldquo;quoted&rdquo;\n  and   caf&eacute;&nbsp;&#8217;s</p>' +
      '<div>Line one<br>Line two</div><ul><li>first</li><li>second</li></ul><script>var x = 1;</script><p></p><p>  end </p>';
    expect(htmlToText(html)).toBe(
      'Title\n\nKim & Moon <talks> “quoted” and café ’s\n\nLine one\nLine two\n\nfirst\nsecond\n\nend',
    );
  });

  it('returns plain text unchanged apart from whitespace', () => {
    expect(htmlToText('  just   text ')).toBe('just text');
    expect(htmlToText('')).toBe('');
  });
});

describe('looksLikeHtml (feedparser\'s rule for text of undeclared type)', () => {
  it('takes text with a closing tag or a reference, HTML elements only and known entities only, for HTML', () => {
    for (const html of ['China&#8217;s <b>crackdown</b>', 'Kim &amp; Moon', '<a title="<b>x</b>" href="/k">Kim</a>', '<p>One<br>two</p>', '<!--:en-->Defectors<!--:-->']) {
      expect(looksLikeHtml(html), html).toBe(true);
    }
  });

  it('takes other brackets for text: no closing tag nor reference, an element HTML does not have, an unknown entity', () => {
    for (const text of ['Vector<T> and a < b', 'Meet us at <talks> today', '<b>open only', 'a <T> and <b>b</b>', '<script>alert(1)</script>', 'Q&bogus; <b>x</b>', '5 < 6 > 4']) {
      expect(looksLikeHtml(text), text).toBe(false);
    }
  });
});

describe('textToHtml', () => {
  it('escapes each paragraph and wraps it in <p>, skipping blank ones', () => {
    expect(textToHtml(['a < b & c > d', '  ', 'line one\nline two', '"quoted"'])).toBe(
      '<p>a &lt; b &amp; c &gt; d</p><p>line one<br />line two</p><p>"quoted"</p>',
    );
  });

  it('round-trips through htmlToText and is stable under sanitizeHtml', () => {
    const paragraphs = ['Kim & Moon <talks> “quoted”', 'Second & last'];
    const html = textToHtml(paragraphs);
    expect(htmlToText(html)).toBe(paragraphs.join('\n\n'));
    expect(sanitizeHtml(html)).toBe(html);
  });
});

describe('summarize', () => {
  it('returns short text whole, whitespace collapsed', () => {
    expect(summarize('  Short\n\ntext  here ')).toBe('Short text here');
  });

  it('cuts long text at a word boundary and adds an ellipsis, within maxChars', () => {
    const text = 'Defectors arrived in Seoul on Tuesday, officials said, after a long journey through China.';
    const out = summarize(text, 40);
    expect(out).toBe('Defectors arrived in Seoul on Tuesday…');
    expect(out.length).toBeLessThanOrEqual(40);
    expect(text.startsWith(out.slice(0, -1))).toBe(true);
  });

  it('defaults to 300 characters', () => {
    const out = summarize('word '.repeat(200));
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.endsWith('word…')).toBe(true);
  });

  it('cuts inside a single overlong word without splitting a surrogate pair', () => {
    expect(summarize('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(summarize('😀'.repeat(20), 5)).toBe('😀😀😀😀…');
  });
});
