/**
 * The bundled sample archive scaled up: a folder holding the five sample pages
 * plus generated pages in the same WordPress listing layout (a `Monthly
 * Archives:` or `Category:` heading, then posts: title, `Posted on by`,
 * paragraphs, an `[Outlet]` line on most). The samples hold 50 posts on 5 pages,
 * 45 Items: one post in ten is on a second page (a category page and a monthly
 * page). The generated pages keep that share, so factor N gives about N x 45
 * Items and N x 50 posts.
 */
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { newsGenerator, type Article } from '../tests/helpers/news-generator.js';

const SAMPLES = 'samples/archive';
const SAMPLE_ITEMS = 45;
const POSTS_PER_PAGE = 10;
/** One generated post in this many also appears on a category page, as in the samples. */
const SECOND_PAGE_EVERY = 10;
const OUTLETS = ['NK News', 'Daily NK', 'Yonhap', 'VoA', 'The Korea Herald', 'New York Times', 'Vice News'];
const CATEGORIES = ['North Korean refugee', 'Humanitarian Aid and Relief', 'Escape and rescue', 'Resettlement'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export interface ScaledArchive {
  folder: string;
  factor: number;
  pages: number;
  bytes: number;
  /** Distinct posts in the folder: the Items a run should find. */
  posts: number;
}

/** A title as blogs write them: the first words of a generated sentence. */
function postText(article: Article, outlet: string | null): string {
  const title = article.title.split(' ').slice(0, 11).join(' ');
  return [title, 'Posted on by', ...article.paragraphs, ...(outlet ? [`[${outlet}]`] : [])].join('\n\n');
}

function page(heading: string, posts: string[]): string {
  return `${heading}\n\n${posts.join('\n\n\n')}\n`;
}

/** Writes the samples and (factor - 1) x 45 generated posts into `folder`. */
export function writeScaledArchive(folder: string, factor: number): ScaledArchive {
  mkdirSync(folder, { recursive: true });
  for (const name of readdirSync(SAMPLES)) copyFileSync(path.join(SAMPLES, name), path.join(folder, name));
  const news = newsGenerator(2016 + factor);
  const generated = (factor - 1) * SAMPLE_ITEMS;
  const posts = Array.from({ length: generated }, (_, i) => postText(news.articleAt(i), i % 5 === 4 ? null : OUTLETS[i % OUTLETS.length]!));
  for (let start = 0, month = 0; start < posts.length; start += POSTS_PER_PAGE, month += 1) {
    const year = 2015 - Math.floor(month / 12);
    const name = `familycare-monthly-${year}-${String(12 - (month % 12)).padStart(2, '0')}.txt`;
    writeFileSync(path.join(folder, name), page(`Monthly Archives: ${MONTHS[11 - (month % 12)]} ${year}`, posts.slice(start, start + POSTS_PER_PAGE)));
  }
  const again = posts.filter((_, i) => i % SECOND_PAGE_EVERY === 0);
  for (let start = 0; start < again.length; start += POSTS_PER_PAGE) {
    const category = CATEGORIES[(start / POSTS_PER_PAGE) % CATEGORIES.length]!;
    const name = `familycare-category-generated-${start / POSTS_PER_PAGE + 1}.txt`;
    writeFileSync(path.join(folder, name), page(`Category: ${category}`, again.slice(start, start + POSTS_PER_PAGE)));
  }
  const names = readdirSync(folder);
  const bytes = names.reduce((sum, name) => sum + statSync(path.join(folder, name)).size, 0);
  return { folder, factor, pages: names.length, bytes, posts: SAMPLE_ITEMS + generated };
}
