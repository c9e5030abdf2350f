/**
 * `eval tags` end to end on a small labelled set in the shared eval format:
 * documents made into Items by the pipeline's normalize stages, grouped by the
 * gold clusters, tagged by rules, by the model (k-fold, or trained on another
 * folder) and by both, with folds grouped by site and by Source and each
 * Topic's model share; bad labels are refused naming the file and the Story.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalTags, loadTagDataset } from '../../src/eval/tags.js';
import { formatTagsReport } from '../../src/eval/tags-report.js';
import { parseTaxonomy } from '../../src/tag/taxonomy.js';

const taxonomy = parseTaxonomy(
  `
topics:
  - { slug: escape, label: Escape, phrases: { broker: 3, fled: 3, escape: 3 } }
  - { slug: faith, label: Faith, phrases: { church: 3, pastor: 3, prayer: 3 } }
`,
  'topics.yaml',
);

const filler = 'Officials in the capital declined to comment on the matter when asked by reporters on Monday.';
function story(i: number, topic: 'escape' | 'faith'): string {
  const lead = topic === 'escape' ? `She fled across the river with a broker in week ${i}.` : `The church pastor led a prayer meeting in week ${i}.`;
  const tail = topic === 'escape' ? 'The escape took eleven days through the mountains.' : 'The congregation sang hymns until late in the evening.';
  return `${lead}\n\n${filler}\n\n${tail}\n\n${filler}`;
}

function writeDataset(n: number, topics: (key: string, i: number) => string[] = (_, i) => [i % 2 ? 'faith' : 'escape']): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-eval-tags-'));
  const documents = Array.from({ length: n }, (_, i) => ({
    id: `page:${String(i).padStart(3, '0')}`,
    sourceKind: 'feed',
    site: `site${i}.example`,
    url: `https://site${i}.example/story`,
    title: `Story number ${i}`,
    text: story(i, i % 2 ? 'faith' : 'escape'),
    outlet: `site${i}.example`,
  }));
  writeFileSync(path.join(dir, 'documents.jsonl'), documents.map((d) => JSON.stringify(d)).join('\n'));
  writeFileSync(path.join(dir, 'labels.json'), JSON.stringify({ clusters: documents.map((d) => [d.id]) }));
  writeFileSync(path.join(dir, 'topics.json'), JSON.stringify(Object.fromEntries(documents.map((d, i) => [d.id, topics(d.id, i)]))));
  return dir;
}

describe('eval tags', () => {
  it('scores rules, the model by k-fold cross-validation, and both', async () => {
    const report = await evalTags(await loadTagDataset(writeDataset(20), taxonomy), taxonomy);
    expect(report.stories).toBe(20);
    expect(report.model).toMatchObject({ trainedOn: 'k-fold', folds: 5, examples: 16 });
    expect(report.rules).toMatchObject({ microF1: 1, macroF1: 1 });
    expect(report.combined.microF1).toBeGreaterThanOrEqual(0.9);
    expect(report.modelAlone.microF1).toBeGreaterThan(0.5);
    expect(report.misses.length).toBeLessThanOrEqual(2);
    const text = formatTagsReport(report);
    expect(text).toMatch(/rules alone\s+1\.0000\s+1\.0000\s+1\.0000/);
    expect(text).toContain('5-fold cross-validation');
  });

  it('reports folds grouped by site and by Source, and each Topic\'s model share', async () => {
    // Five sites of four Stories each: a grouped fold leaves a whole site out.
    const dir = writeDataset(20);
    const docs = path.join(dir, 'documents.jsonl');
    const lines = readFileSync(docs, 'utf8').split('\n').map((line, i) => JSON.stringify({ ...JSON.parse(line), site: `site${i % 5}.example` }));
    writeFileSync(docs, lines.join('\n'));
    const report = await evalTags(await loadTagDataset(dir, taxonomy), taxonomy);
    expect(report.grouped.map((run) => [run.by, run.folds])).toEqual([['site', 5], ['source', 5]]);
    for (const run of report.grouped) {
      expect(run.combined.microF1).toBeGreaterThanOrEqual(run.rules.microF1);
      expect(run.combined.macroF1).toBeGreaterThanOrEqual(run.rules.macroF1);
    }
    // The rules get every Story right: the model has nothing to add, and gets no share.
    expect(report.weights.map((w) => [w.slug, w.positives, w.share])).toEqual([['escape', 10, 0], ['faith', 10, 0]]);
    expect(report.constants?.sites).toBe(5);
    const text = formatTagsReport(report);
    expect(text).toMatch(/5 by site\s+rules \+ model\s+1\.0000/);
    expect(text).toContain('5 by Source');
    expect(text).toMatch(/escape\s+10\s+10\s+0\.00/);
  });

  it('reports what the labels say the rules miss', async () => {
    // The labels call the last Story about faith too: the rules cannot know.
    const dir = writeDataset(20, (key, i) => (i === 19 ? ['faith', 'escape'] : [i % 2 ? 'faith' : 'escape']));
    const report = await evalTags(await loadTagDataset(dir, taxonomy), taxonomy);
    expect(report.rules.microRecall).toBeLessThan(1);
    expect(report.misses.map((m) => m.key)).toContain('page:019');
  });

  it('trains on another folder with `train`', async () => {
    const report = await evalTags(await loadTagDataset(writeDataset(10), taxonomy), taxonomy, { train: await loadTagDataset(writeDataset(20), taxonomy) });
    expect(report.model.folds).toBeNull();
    expect(report.model.examples).toBe(20);
    expect(report.modelAlone.microF1).toBeGreaterThan(0.5);
  });

  it('refuses labels that name a Topic not in the taxonomy, naming the file and the Story', async () => {
    const dir = writeDataset(4, (_, i) => (i === 2 ? ['sports'] : ['escape']));
    await expect(loadTagDataset(dir, taxonomy)).rejects.toThrow(/topics\.json: page:002: topics not in the taxonomy: sports/);
  });
});
