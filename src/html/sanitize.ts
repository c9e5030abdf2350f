/**
 * HTML sanitising for everything that comes from a Source: one strict allow-list
 * suited to news articles, so nothing a Source sends (scripts, event handlers,
 * `javascript:` links, embeds, forms) reaches a Feed or an email.
 *
 * `sanitizeHtml` is idempotent (sanitising its output again gives the same
 * string): Feeds re-sanitise stored HTML on every publish and must not drift.
 * Plain-text helpers (`htmlToText`, `textToHtml`, `summarize`) live in text.ts.
 */
import sanitize from 'sanitize-html';
import { DROPPED_WITH_CONTENT } from './text.js';

export { escapeHtml, htmlToText, sanitizedHtmlToText, summarize, textToHtml } from './text.js';

const ALLOWED_TAGS = [
  'p', 'br', 'a', 'strong', 'em', 'b', 'i', 'blockquote', 'ul', 'ol', 'li',
  'h2', 'h3', 'h4', 'figure', 'figcaption', 'img', 'pre', 'code', 'q', 'cite', 'sup', 'sub',
];

const LINK_REL = 'noopener noreferrer nofollow';

/**
 * Resolves `value` against `baseUrl` and keeps it only when the scheme is allowed.
 * Without a base, relative paths are kept as they are (sanitize-html checks the
 * scheme of absolute ones); protocol-relative URLs (`//host/x`) are dropped by
 * `allowProtocolRelative: false` because their scheme is unknown.
 */
function resolveUrl(value: string | undefined, baseUrl: string | null, schemes: string[]): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (!baseUrl) return trimmed;
  try {
    const url = new URL(trimmed, baseUrl);
    return schemes.includes(url.protocol.slice(0, -1)) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function withAttribute(attribs: Record<string, string>, name: string, value: string | undefined): Record<string, string> {
  const out = { ...attribs };
  if (value === undefined) delete out[name];
  else out[name] = value;
  return out;
}

const allowedTags = new Set(ALLOWED_TAGS);

/** `onUnlisted` hears every tag the allow-list does not keep under its own name (dropped, unwrapped or renamed). */
function buildOptions(baseUrl: string | null, onUnlisted: () => void): sanitize.IOptions {
  return {
    onOpenTag: (name) => {
      if (!allowedTags.has(name)) onUnlisted();
    },
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    nonTextTags: DROPPED_WITH_CONTENT,
    disallowedTagsMode: 'discard',
    transformTags: {
      // Headings outside h2-h4 keep their structure at the nearest allowed level.
      h1: 'h2',
      h5: 'h4',
      h6: 'h4',
      a: (tagName, attribs) => ({
        tagName,
        attribs: {
          ...withAttribute(attribs, 'href', resolveUrl(attribs.href, baseUrl, ['http', 'https', 'mailto'])),
          // Always the same value, so a second pass leaves it unchanged. (A link whose
          // target is refused keeps its text; renaming it to an unwrapped tag here
          // would confuse sanitize-html's tag stack and break the closing tags.)
          rel: LINK_REL,
        },
      }),
      img: (tagName, attribs) => {
        let out = withAttribute(attribs, 'src', resolveUrl(attribs.src, baseUrl, ['http', 'https']));
        // Only plain pixel sizes: `width="100%"` or CSS in a Feed reader is noise.
        for (const size of ['width', 'height']) {
          if (out[size] !== undefined && !/^\d{1,5}$/.test(out[size])) out = withAttribute(out, size, undefined);
        }
        return { tagName, attribs: out };
      },
    },
    // An image without a (safe) source shows nothing but a broken icon.
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  };
}

/**
 * Sanitises untrusted HTML with the news allow-list. Relative URLs are resolved
 * against `baseUrl` when given (a Feed reader has no base for them).
 */
export function sanitizeHtml(html: string, baseUrl?: string | null): string {
  let unlisted = false;
  const options = buildOptions(baseUrl ?? null, () => {
    unlisted = true;
  });
  const once = sanitize(html, options).trim();
  // A dropped tag can leave allowed ones nested the way an HTML parser reads
  // otherwise (`<p><span><p>` gives `<p><p></p></p>`, which reads as three
  // paragraphs), so such output is sanitised again. When every tag was kept
  // under its own name, the output is the parser's own tree written out with
  // its implied closing tags, which reads back the same: a second pass would
  // return it unchanged, and most feed HTML (nine entries in ten) is spared it.
  return unlisted ? sanitize(once, options).trim() : once;
}
