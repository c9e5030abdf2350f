/**
 * `newsdesk eval archive`: runs the archive page parser over a labelled split
 * (eval README, task B) and measures it. A post is found when both its title
 * and its first words match; an extra post is a parsed post whose title matches
 * no labelled post of the page. `evaluateArchive` is a plain function; only
 * `loadArchiveDataset` (archive-dataset.ts) reads files.
 */
import { errorMessage } from '../errors.js';
import type { ArchivePage, ArchivePost } from '../ingest/archive/page.js';
import { parseArchivePage } from '../ingest/archive/parse.js';
import type { ArchiveEvalPage, ExpectedMeta, ExpectedPage, ExpectedPost } from './archive-dataset.js';
import { firstWordsMatch, leadWords, normalizeTitle, sameList, sameText } from './archive-match.js';

export { loadArchiveDataset } from './archive-dataset.js';
export type { ArchiveEvalPage, ExpectedMeta, ExpectedPage, ExpectedPost } from './archive-dataset.js';

/** `correct` of `total`; `percent` is null when there is nothing to count. */
export interface Ratio {
  correct: number;
  total: number;
  percent: number | null;
}

export interface PostRef {
  pageId: string;
  title: string;
  /** What was expected or found as the lead's first words. */
  firstWords: string;
}

export interface PageDetail {
  pageId: string;
  page: string;
  expectedKind: ExpectedPage['kind'];
  kind: ArchivePage['kind'] | null;
  /** The parser's error message when it rejected the page. */
  error: string | null;
  expectedPosts: number;
  predictedPosts: number;
  found: number;
  /** One line per disagreement (heading, Outlet, truncation, footer, first words). */
  problems: string[];
}

export interface ArchiveEvalReport {
  pages: number;
  expectedPosts: number;
  predictedPosts: number;
  found: number;
  missed: PostRef[];
  extra: PostRef[];
  /** found / expected, percent. */
  recall: number;
  /** found / predicted, percent. */
  precision: number;
  /** Matched posts whose attribution equals the labelled Outlet line (null = none). */
  outlet: Ratio;
  /** Pages whose heading equals the label (null = none). */
  heading: Ratio;
  /** Pages read as the right kind (a dump page is a listing). */
  kind: Ratio;
  /** Matched posts with the right `truncated` flag. */
  truncated: Ratio;
  /** Single-post pages with footer visibility, categories, tags and author all right. */
  footer: Ratio;
  /**
   * The posts by site. The post boundaries are read from each page's own
   * rhythm, with no bar fitted to other pages, so a site's figure is also its
   * leave-one-site-out figure.
   */
  sites: SiteFigures[];
  details: PageDetail[];
}

export interface SiteFigures {
  site: string;
  pages: number;
  expectedPosts: number;
  predictedPosts: number;
  found: number;
}

function ratio(correct: number, total: number): Ratio {
  return { correct, total, percent: total === 0 ? null : round((100 * correct) / total) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

interface Tally {
  outlet: [number, number];
  truncated: [number, number];
}

function matchPosts(expected: ExpectedPage, posts: ArchivePost[], detail: PageDetail, tally: Tally, report: ArchiveEvalReport): void {
  const unmatched = new Set(posts.map((_, at) => at));
  const titleOnly: ExpectedPost[] = [];
  for (const want of expected.posts) {
    const title = normalizeTitle(want.title);
    const at = [...unmatched].find((i) => normalizeTitle(posts[i]?.title ?? '') === title && firstWordsMatch(want.firstWords, posts[i] as ArchivePost));
    if (at === undefined) {
      titleOnly.push(want);
      continue;
    }
    unmatched.delete(at);
    const post = posts[at] as ArchivePost;
    detail.found += 1;
    tally.outlet[1] += 1;
    tally.truncated[1] += 1;
    if (sameText(want.outlet, post.attribution)) tally.outlet[0] += 1;
    else detail.problems.push(`outlet of "${want.title}": expected ${JSON.stringify(want.outlet)}, got ${JSON.stringify(post.attribution)}`);
    if (want.truncated === post.truncated) tally.truncated[0] += 1;
    else detail.problems.push(`truncated of "${want.title}": expected ${want.truncated}, got ${post.truncated}`);
  }
  for (const want of titleOnly) {
    report.missed.push({ pageId: expected.pageId, title: want.title, firstWords: want.firstWords });
    // A post with the right title but the wrong lead is missed, not extra.
    const at = [...unmatched].find((i) => normalizeTitle(posts[i]?.title ?? '') === normalizeTitle(want.title));
    if (at !== undefined) {
      unmatched.delete(at);
      detail.problems.push(`first words of "${want.title}": expected "${want.firstWords}", got "${leadWords(posts[at] as ArchivePost)}"`);
    } else {
      detail.problems.push(`missed "${want.title}"`);
    }
  }
  for (const at of unmatched) {
    const post = posts[at] as ArchivePost;
    report.extra.push({ pageId: expected.pageId, title: post.title, firstWords: leadWords(post) });
    detail.problems.push(`extra post "${post.title}"`);
  }
}

function footerProblems(meta: ExpectedMeta, page: ArchivePage | null): string[] {
  const footer = page?.footer ?? null;
  const checks: [string, boolean, unknown, unknown][] = [
    ['footerVisible', meta.footerVisible === (footer !== null), meta.footerVisible, footer !== null],
    ['categories', sameList(meta.categories, footer?.categories ?? null), meta.categories, footer?.categories ?? null],
    ['tags', sameList(meta.tags, footer?.tags ?? null), meta.tags, footer?.tags ?? null],
    ['author', sameText(meta.author, footer?.author ?? null), meta.author, footer?.author ?? null],
  ];
  return checks
    .filter(([, ok]) => !ok)
    .map(([field, , want, got]) => `footer ${field}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}

/**
 * Parses every page (origin: the page id, and the address when `page` is one)
 * and compares with the labels. Pages without a label are ignored.
 */
export function evaluateArchive(pages: ArchiveEvalPage[], expected: ExpectedPage[]): ArchiveEvalReport {
  const report: ArchiveEvalReport = {
    pages: 0, expectedPosts: 0, predictedPosts: 0, found: 0, missed: [], extra: [], recall: 0, precision: 0,
    outlet: ratio(0, 0), heading: ratio(0, 0), kind: ratio(0, 0), truncated: ratio(0, 0), footer: ratio(0, 0), sites: [], details: [],
  };
  const sites = new Map<string, SiteFigures>();
  const tally: Tally = { outlet: [0, 0], truncated: [0, 0] };
  const counts = { heading: 0, kind: 0, footer: 0, footerPages: 0 };
  const byId = new Map(pages.map((page) => [page.pageId, page]));
  for (const want of expected) {
    const input = byId.get(want.pageId);
    if (!input) continue;
    let page: ArchivePage | null = null;
    let error: string | null = null;
    try {
      page = parseArchivePage(input.text, { name: input.pageId, url: /^https?:\/\//i.test(input.page) ? input.page : null });
    } catch (caught) {
      error = errorMessage(caught);
    }
    const detail: PageDetail = {
      pageId: want.pageId, page: want.page, expectedKind: want.kind, kind: page?.kind ?? null, error,
      expectedPosts: want.posts.length, predictedPosts: page?.posts.length ?? 0, found: 0, problems: [],
    };
    report.pages += 1;
    report.expectedPosts += want.posts.length;
    report.predictedPosts += detail.predictedPosts;
    matchPosts(want, page?.posts ?? [], detail, tally, report);
    report.found += detail.found;
    const site = sites.get(want.site) ?? { site: want.site, pages: 0, expectedPosts: 0, predictedPosts: 0, found: 0 };
    sites.set(want.site, site);
    site.pages += 1;
    site.expectedPosts += detail.expectedPosts;
    site.predictedPosts += detail.predictedPosts;
    site.found += detail.found;
    if (sameText(want.heading, page?.heading ?? null)) counts.heading += 1;
    else detail.problems.push(`heading: expected ${JSON.stringify(want.heading)}, got ${JSON.stringify(page?.heading ?? null)}`);
    const wantKind = want.kind === 'single-post' ? 'single-post' : 'listing';
    if (wantKind === page?.kind) counts.kind += 1;
    else detail.problems.push(`kind: expected ${wantKind}, got ${page?.kind ?? 'nothing'}`);
    if (want.kind === 'single-post' && want.meta) {
      counts.footerPages += 1;
      const problems = footerProblems(want.meta, page);
      if (problems.length === 0) counts.footer += 1;
      detail.problems.push(...problems);
    }
    if (error) detail.problems.unshift(`parse error: ${error}`);
    report.details.push(detail);
  }
  report.recall = report.expectedPosts === 0 ? 0 : round((100 * report.found) / report.expectedPosts);
  report.precision = report.predictedPosts === 0 ? 0 : round((100 * report.found) / report.predictedPosts);
  report.outlet = ratio(...tally.outlet);
  report.truncated = ratio(...tally.truncated);
  report.heading = ratio(counts.heading, report.pages);
  report.kind = ratio(counts.kind, report.pages);
  report.footer = ratio(counts.footer, counts.footerPages);
  report.sites = [...sites.values()].sort((a, b) => a.site.localeCompare(b.site));
  return report;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${round((100 * part) / whole)}%`;
}

function showRatio(name: string, value: Ratio): string {
  return `${name.padEnd(22)}${value.percent === null ? 'n/a' : `${value.percent}%`} (${value.correct}/${value.total})`;
}

/** The report as a few lines for a person: totals first, then each page with its problems. */
export function formatArchiveReport(report: ArchiveEvalReport): string {
  const lines = [
    `archive parsing: ${report.pages} pages, ${report.expectedPosts} expected posts, ${report.predictedPosts} parsed`,
    `${'found'.padEnd(22)}${report.found}/${report.expectedPosts} (recall ${report.recall}%, precision ${report.precision}%)`,
    `${'extra posts'.padEnd(22)}${report.extra.length}`,
    showRatio('outlet', report.outlet),
    showRatio('heading', report.heading),
    showRatio('page kind', report.kind),
    showRatio('truncated', report.truncated),
    showRatio('footer metadata', report.footer),
    'by site',
    ...report.sites.map(
      (site) =>
        `  ${site.site.padEnd(26)}${site.found}/${site.expectedPosts} on ${site.pages} pages, ${site.predictedPosts} parsed ` +
        `(recall ${percent(site.found, site.expectedPosts)}, precision ${percent(site.found, site.predictedPosts)})`,
    ),
    '',
  ];
  for (const detail of report.details) {
    const mark = detail.problems.length === 0 ? 'ok ' : '!! ';
    lines.push(`${mark}${detail.pageId.padEnd(10)} ${detail.found}/${detail.expectedPosts} found, ${detail.predictedPosts} parsed  ${detail.page}`);
    for (const problem of detail.problems) lines.push(`     - ${problem}`);
  }
  return lines.join('\n');
}
