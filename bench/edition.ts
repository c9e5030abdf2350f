/**
 * The weekly Edition's two pure stages back to back, as an editor's preview
 * does them: compose 50 candidate Stories (generated news text, spread over
 * the sample taxonomy's Topics, some reported or reposted elsewhere) into a
 * 50-Story Edition, then render it as its email (MJML, strict, the checks on
 * the HTML). The median of several runs after a warm-up; the target is under
 * 500 ms.
 */
import { composeEdition, DEFAULT_COMPOSE, type CandidateStory } from '../src/digest/compose.js';
import { renderEdition, type RenderContext } from '../src/digest/render.js';
import { loadTaxonomy } from '../src/tag/taxonomy.js';
import { editionWindow } from '../src/week.js';
import { editionFromComposed } from '../tests/helpers/editions.js';
import { newsGenerator } from '../tests/helpers/news-generator.js';
import { measureRuns, timed } from './measure.js';
import type { BenchPlan } from './plan.js';
import { measuredRow, type BenchRow } from './table.js';

const STORIES = 50;

const context: RenderContext = {
  site: { title: 'Bench News Desk', url: 'https://news.example.org' },
  organisation: { name: 'Bench Foundation', postalAddress: '12 Example Street\nSeoul 03000' },
  links: { unsubscribe: 'https://news.example.org/unsubscribe', preferences: 'https://news.example.org/preferences' },
};

export async function editionRow(plan: BenchPlan): Promise<BenchRow> {
  const window = editionWindow('2026-W47', { day: 'monday', time: '07:00', timezone: 'UTC' });
  const topics = loadTaxonomy('samples/topics.yaml').topics.map(({ slug, label }) => ({ slug, label }));
  const news = newsGenerator(47);
  const candidates: CandidateStory[] = Array.from({ length: STORIES }, (_, i) => {
    const article = news.articleAt(i);
    return {
      id: `st_bench${String(i).padStart(3, '0')}`,
      title: article.title,
      url: i % 7 === 0 ? null : `https://outlet${i % 5}.example/2026/11/${i}/`,
      outlet: i % 9 === 0 ? null : `Outlet ${i % 5}`,
      published: { at: new Date(window.start.getTime() + i * 3_600_000), precision: 'time' },
      firstSeenAt: new Date(window.start.getTime() + i * 3_600_000),
      text: article.text,
      topics: [topics[i % topics.length]!.slug],
      reportedBy: i % 3 === 0 ? ['Daily NK', 'Yonhap'] : [],
      repostedBy: i % 4 === 0 ? ['Crossing Borders'] : [],
    };
  });
  const settings = { ...DEFAULT_COMPOSE, maxStories: STORIES, maxPerSection: STORIES };

  const once = async () => {
    const composed = composeEdition({ window, candidates, topics, siteTitle: context.site.title }, settings);
    return renderEdition(editionFromComposed(composed), context);
  };
  let htmlBytes = 0;
  const measured = await measureRuns({
    runs: plan.runs,
    once: async () => {
      const { seconds, result } = await timed(once);
      htmlBytes = Buffer.byteLength(result.html);
      return seconds * 1000;
    },
  });
  return measuredRow(
    `compose + render a ${STORIES}-Story Edition (email)`,
    `${STORIES} Stories, ${topics.length} Topics; HTML ${(htmlBytes / 1024).toFixed(0)} KiB`,
    'ms',
    measured,
    'target under 500 ms',
  );
}
