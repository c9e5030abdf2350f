/**
 * Workarounds for how `feed` 6.0.0 and its XML writer (xml-js 1.6.11) serialise
 * strings. Each helper says which quirk it answers; the renderers apply them so
 * that what a reader decodes equals what we meant.
 */

/**
 * Characters XML 1.0 forbids (§2.2 Char): C0 controls other than tab/LF/CR,
 * U+FFFE/U+FFFF and unpaired surrogates. One of them makes the whole document
 * ill-formed, so they are removed from everything that reaches a Feed.
 */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripXmlInvalid(text: string): string {
  return text.replace(XML_INVALID, '');
}

/**
 * For strings `feed` writes as XML text nodes. xml-js first turns every `&amp;`
 * back into `&` ("desanitize to avoid double sanitization") and then escapes
 * `& < >`, so a literal `&amp;` in a name would come out as `&`. Escaping `&`
 * here is the exact inverse of that first step.
 */
export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;');
}

/**
 * For strings `feed` writes as CDATA. xml-js splits only the FIRST `]]>` of a
 * CDATA section (`String.replace` with a string pattern), so a second one would
 * end the section early. We split every later one ourselves and leave the first
 * to xml-js. HTML we produce never contains `]]>` (sanitize-html writes `>` as
 * `&gt;`), but plain-text RSS titles can.
 */
export function cdata(text: string): string {
  const [first, ...rest] = text.split(']]>');
  if (rest.length <= 1) return text;
  return `${first}]]>${rest.join(']]]]><![CDATA[>')}`;
}

/** Escapes a string for an XML attribute value in double quotes. */
export function xmlAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}
