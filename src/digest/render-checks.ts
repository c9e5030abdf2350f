/**
 * Checks on the finished email HTML, the bytes a mail client will get (not the
 * template, which cannot show what the data and MJML made of it): its size
 * against Gmail's clipping, images with alt text, and links a reader can follow
 * from an inbox: absolute ones, or `#id` to an element of the email itself
 * (the contents).
 */
import { Parser } from 'htmlparser2';

/**
 * Gmail shows "[Message clipped]" and hides the rest, footer and unsubscribe
 * link included, past about 102 KB of HTML. Counted in decimal kilobytes, so we
 * stay under the limit whichever way it is measured.
 */
export const GMAIL_CLIP_BYTES = 102_000;

/** Most link problems named one by one; the rest are counted. */
const MAX_NAMED = 5;

/** Absolute http(s) with a host, or mailto: anything else means nothing (or harm) in an email. */
export function isFollowableLink(href: string): boolean {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  if (url.protocol === 'mailto:') return true;
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/** The problems found, each a phrase for RenderError; empty when the HTML may be sent. */
export function checkEmailHtml(html: string): string[] {
  const problems: string[] = [];
  const bytes = Buffer.byteLength(html, 'utf8');
  if (bytes > GMAIL_CLIP_BYTES) {
    problems.push(
      `the HTML is ${bytes.toLocaleString('en')} bytes, over ${GMAIL_CLIP_BYTES.toLocaleString('en')} (102 KB, where Gmail clips an email); ` +
        'remove Stories or shorten summaries',
    );
  }

  const badLinks: string[] = [];
  const images: string[] = [];
  const ids = new Set<string>();
  // Links within the email, checked once every id is known.
  const fragments: { href: string; text: string }[] = [];
  // The text inside each open <a>, to name a bad link by what the reader sees.
  const open: { href: string; text: string; fragment?: boolean }[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const href = attributes.href;
        if (attributes.id !== undefined) ids.add(attributes.id);
        if (name === 'a' && href?.startsWith('#')) {
          open.push({ href, text: '', fragment: true });
        } else if (href !== undefined && !isFollowableLink(href.trim())) {
          if (name === 'a') open.push({ href, text: '' });
          else badLinks.push(`"${href}" (<${name}>)`);
        } else if (name === 'a') {
          open.push({ href: '', text: '' });
        }
        if (name === 'img') {
          const src = attributes.src ?? '';
          if (attributes.alt === undefined) images.push(`an image (${src || 'no src'}) has no alt text`);
          if (!isFollowableLink(src) || src.startsWith('mailto:')) images.push(`an image's src "${src}" is not an absolute http(s) address`);
        }
      },
      ontext(text) {
        for (const link of open) link.text += text;
      },
      onclosetag(name) {
        if (name !== 'a') return;
        const link = open.pop();
        if (link?.fragment) fragments.push(link);
        else if (link && link.href !== '') badLinks.push(`"${link.href}" ("${link.text.replace(/\s+/g, ' ').trim()}")`);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);

  if (badLinks.length > 0) {
    const named = badLinks.slice(0, MAX_NAMED).join(', ');
    const more = badLinks.length > MAX_NAMED ? ` and ${badLinks.length - MAX_NAMED} more` : '';
    const one = badLinks.length === 1;
    problems.push(`${one ? 'link' : 'links'} ${named}${more} ${one ? 'is' : 'are'} not an absolute http(s) or mailto address`);
  }
  for (const link of fragments) {
    if (!ids.has(link.href.slice(1))) problems.push(`link "${link.href}" ("${link.text.replace(/\s+/g, ' ').trim()}") leads to no element of this email`);
  }
  problems.push(...images);
  return problems;
}
