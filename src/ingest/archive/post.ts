/**
 * One post read out of its span of page lines: body blocks, the lead
 * paragraph, the closing `[Outlet]` line, whether it is a `Read more` excerpt
 * and whether the stored text stops inside it.
 */
import { parseAttribution } from './attribution.js';
import type { PageLine } from './lines.js';
import { isPostEnding, isRunningText } from './shape.js';
import {endsSentence} from './text.js';
import type { ArchivePost } from './page.js';
import type { PostSpan } from './segment.js';

/** Lines that are page furniture, not post text (see `ArchivePost.paragraphs`). */
const NOT_PARAGRAPHS = new Set(['postedOnBy', 'image', 'separator', 'nbsp', 'readMore', 'footer', 'comments']);

export interface ReadPost {
  post: ArchivePost;
  /** Entry-footer lines below the post (single-post pages read them into `ArchivePage.footer`). */
  footerLines: PageLine[];
  /** The post was followed by a footer or comment section. */
  closedByFooter: boolean;
}

export interface ReadPostOptions {
  /** The post is the last one on the page, so the stored text may stop inside it. */
  last: boolean;
  aliases?: Readonly<Record<string, string>>;
}

export function readPost(lines: PageLine[], span: PostSpan, options: ReadPostOptions): ReadPost {
  const body = lines.slice(span.from, span.to);
  const stop = body.findIndex((line) => line.role === 'footer' || line.role === 'comments');
  const content = stop < 0 ? body : body.slice(0, stop);
  const footerLines = stop < 0 ? [] : footerBlock(body.slice(stop));

  // The closing lines come after the last running text: `[Outlet]`, `Read more`,
  // and whatever residue the page prints after them (`Read more about`, cut
  // off by the end of the text).
  const lastText = findLastIndex(content, (line) => isRunningText(line) && !line.cut);
  const closing = content.slice(lastText + 1);
  const attributionAt = findLastIndex(closing, (line) => line.role === 'bracketed');
  const attributionLine = attributionAt < 0 ? null : (closing[attributionAt] as PageLine);
  const readMore = closing.some((line) => line.role === 'readMore');
  const kept = attributionLine ? content.slice(0, lastText + 1 + attributionAt) : content;

  const finalLine = [...content].reverse().find((line) => line.role !== 'nbsp' && line.role !== 'separator');
  const truncated =
    options.last &&
    stop < 0 &&
    !attributionLine &&
    !readMore &&
    finalLine !== undefined &&
    finalLine.role === 'text' &&
    !endsSentence(finalLine.text) &&
    !isPostEnding(finalLine);

  const paragraphs: PageLine[] = [];
  let lastCaption: string | null = null;
  for (const line of kept) {
    if (NOT_PARAGRAPHS.has(line.role)) continue;
    if (line.role === 'caption') {
      const folded = line.folded;
      // Squarespace prints a caption twice, once with its credit: keep the first.
      if (lastCaption !== null && lastCaption.includes(folded)) continue;
      lastCaption = folded;
    } else {
      lastCaption = null;
    }
    paragraphs.push(line);
  }
  const leadIndex = paragraphs.findIndex(isRunningText);
  const attribution = attributionLine ? parseAttribution(attributionLine.raw, options.aliases) : null;
  return {
    post: {
      title: span.title,
      attribution: attribution?.attribution ?? null,
      outlets: attribution?.outlets ?? [],
      paragraphs: paragraphs.map((line) => line.raw),
      leadIndex,
      truncated,
      readMore,
    },
    footerLines,
    closedByFooter: stop >= 0,
  };
}

/**
 * The entry-footer lines among what follows a post. Share buttons, related
 * posts or navigation may come before the footer, so all of it is searched.
 */
function footerBlock(rest: PageLine[]): PageLine[] {
  return rest.filter((line) => line.role === 'footer');
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let at = items.length - 1; at >= 0; at -= 1) if (test(items[at] as T)) return at;
  return -1;
}
