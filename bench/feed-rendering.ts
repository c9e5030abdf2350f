/**
 * Feed rendering throughput: RSS 2.0, Atom 1.0 and JSON Feed 1.1 written for
 * the same entries (titles with markup and quotes, HTML content, categories
 * with and without schemes), as publish does for the overall Feed.
 */
import { renderFeeds, type FeedEntry } from '../src/publish/feeds.js';
import { measureRuns, timed } from './measure.js';
import type { BenchPlan } from './plan.js';
import { measuredRow, type BenchRow } from './table.js';

function entries(count: number): FeedEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `urn:uuid:00000000-0000-5000-8000-${String(index).padStart(12, '0')}`,
    title: `Story ${index} & “quotes” <b>`,
    link: index % 2 ? `https://news.example.org/story/${index}` : null,
    outlets: index % 3 ? ['NK News'] : ['VoA', 'South China Morning Post'],
    categories: [{ term: 'North Korean refugee' }, { term: 'escape', label: 'Escape and defection', scheme: 'https://news.example.org/topics/' }],
    contentHtml: '<p>Paragraph one.</p><p>Paragraph <a href="https://example.org">two</a>.</p>'.repeat(5),
    summary: 'Paragraph one. Paragraph two.',
    published: new Date(Date.UTC(2020, 0, 1) + index * 3_600_000),
    updated: new Date(Date.UTC(2020, 0, 1) + index * 3_600_000),
  }));
}

export async function feedRenderingRow(plan: BenchPlan): Promise<BenchRow> {
  const site = { title: 'Bench', url: 'https://news.example.org', description: '', language: 'en', feedBaseUrl: 'https://news.example.org' };
  const list = entries(plan.feedEntries);
  const measured = await measureRuns({
    runs: plan.runs,
    once: async () => list.length / (await timed(() => renderFeeds(site, list))).seconds,
  });
  return measuredRow('render RSS + Atom + JSON Feed', `${list.length.toLocaleString('en')} entries`, 'entries/s', measured);
}
