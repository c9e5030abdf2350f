/**
 * `newsdesk tags review` on the bundled samples, through the command line as
 * typed (embedded store in a temporary folder): every unlabelled Story, least
 * sure first by the scores and thresholds `tags show` prints; a Story whose
 * Topic score is made that Topic's threshold comes first; the label commands
 * it prints run as printed (`-slug` included), and the labelled Stories leave
 * the list.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { writeSampleConfigFile } from '../helpers/sample-config.js';

let configFile: string;
let topicsFile: string;

async function newsdesk(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

interface Reviewed {
  story: string;
  title: string;
  margin: number;
  topics: { slug: string; score: number; threshold: number; given: boolean; source: string; why: string }[];
  label: string;
}

async function review(limit: number): Promise<Reviewed[]> {
  const result = await newsdesk(['-c', configFile, 'tags', 'review', '--limit', String(limit), '--json']);
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as Reviewed[];
}

/** The smallest distance of a Topic's score to its threshold, from what `tags show` prints (labelled Topics left out). */
async function marginShown(storyId: string): Promise<number> {
  const shown = await newsdesk(['-c', configFile, 'tags', 'show', storyId, '--json']);
  expect(shown.code, shown.err).toBe(0);
  const { scores, labels } = JSON.parse(shown.out) as { scores: { slug: string; score: number; explanation: { threshold: number } }[]; labels: Record<string, boolean> };
  const open = scores.filter((s) => !(s.slug in labels));
  return Math.min(...open.map((s) => Math.round(Math.abs(s.score - s.explanation.threshold) * 1000) / 1000));
}

beforeAll(async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-review-'));
  // The taxonomy is the editors' file: a copy the test can edit.
  topicsFile = path.join(folder, 'topics.yaml');
  copyFileSync('samples/topics.yaml', topicsFile);
  configFile = writeSampleConfigFile(folder, { topics: topicsFile });
  const ingest = await newsdesk(['-c', configFile, 'ingest']);
  expect(ingest.code, ingest.err).toBe(0);
}, 120_000);

describe('newsdesk tags review', () => {
  let listed: Reviewed[] = [];

  it('lists every unlabelled Story least sure first, by the scores and thresholds `tags show` prints', async () => {
    listed = await review(100);
    expect(listed).toHaveLength(45);
    const margins = listed.map((s) => s.margin);
    expect(margins).toEqual([...margins].sort((a, b) => a - b));
    expect(margins[0]).toBeLessThan(margins.at(-1)!);
    for (const story of [listed[0]!, listed.at(-1)!]) {
      expect(await marginShown(story.story), story.story).toBe(story.margin);
      // The Topic nearest its line is the one the margin is about, shown first.
      expect(Math.round(Math.abs(story.topics[0]!.score - story.topics[0]!.threshold) * 1000) / 1000).toBe(story.margin);
    }
    expect((await review(5)).map((s) => s.story)).toEqual(listed.slice(0, 5).map((s) => s.story));
  });

  it("puts a Story whose Topic score sits at the Topic's threshold before Stories far from every threshold", async () => {
    // A Story from the far half, and the Topic nearest its line there: make that Topic's threshold its very score.
    const chosen = listed.slice(25).find((s) => s.topics[0]!.score > 0.05)!;
    const far = listed.at(-1)!;
    expect(chosen).toBeDefined();
    const { slug, score } = chosen.topics[0]!;
    const taxonomy = parseYaml(readFileSync(topicsFile, 'utf8')) as { topics: { slug: string; threshold?: number }[] };
    taxonomy.topics.find((t) => t.slug === slug)!.threshold = score;
    writeFileSync(topicsFile, stringifyYaml(taxonomy));

    const now = await review(100);
    const at = now.findIndex((s) => s.story === chosen.story);
    expect(now[at]!.margin).toBe(0);
    expect(now[0]!.margin).toBe(0);
    // Only Stories just as close (the same score on the same Topic) may stand before it.
    expect(now.slice(0, at).every((s) => s.margin === 0)).toBe(true);
    expect(at).toBeLessThan(now.findIndex((s) => s.story === far.story));
    listed = now;
  });

  it('prints each Story with its Topics near the line and the label command, which runs as printed (-slug too) and takes the Story off the list', async () => {
    const text = await newsdesk(['-c', configFile, 'tags', 'review', '--limit', '3']);
    expect(text.code, text.err).toBe(0);
    const [first] = listed;
    expect(text.out).toContain(`${first!.story}  `);
    expect(text.out).toMatch(/Topic\s+score\s+threshold\s+now\s+by\s+why/);
    expect(text.out).toContain(`${first!.topics[0]!.slug}  `);
    expect(text.out).toContain('3 Stories, least sure first');
    // The hint names the config file given with -c, so that it runs against this store.
    const configName = path.relative(process.cwd(), configFile);
    const hints = [...text.out.matchAll(/^ {2}label: npx newsdesk (.+)$/gm)].map((m) => m[1]!);
    expect(hints).toHaveLength(3);
    expect(hints[0]).toBe(`-c ${configName} tags label ${first!.story} -- ${first!.topics.map((t) => `${t.given ? '+' : '-'}${t.slug}`).join(' ')}`);
    expect(first!.label).toBe(`npx newsdesk ${hints[0]}`);

    // Every printed command runs as printed, `-slug` too (commander would take it for an unknown option).
    const changes = (line: string) => line.split(' ').slice(line.split(' ').indexOf('--') + 1);
    expect(hints.some((line) => changes(line).some((change) => change.startsWith('-')))).toBe(true);
    for (const line of hints) {
      const labelled = await newsdesk(line.split(/\s+/));
      expect(labelled.code, `${line}\n${labelled.err}`).toBe(0);
    }
    const shown = JSON.parse((await newsdesk(['-c', configFile, 'tags', 'show', first!.story, '--json'])).out) as { labels: Record<string, boolean> };
    expect(shown.labels).toEqual(Object.fromEntries(first!.topics.map((t) => [t.slug, t.given])));
    // In the printed form, a -slug that starts like the -c option is a change too.
    const third = listed[2]!.story;
    const again = await newsdesk(['-c', configFile, 'tags', 'label', third, '--', '-china-repatriation', '-human-rights']);
    expect(again.code, again.err).toBe(0);
    const labels = JSON.parse((await newsdesk(['-c', configFile, 'tags', 'show', third, '--json'])).out) as { labels: Record<string, boolean> };
    expect(labels.labels).toMatchObject({ 'china-repatriation': false, 'human-rights': false });

    // Labelled, they teach `tags train` every Topic already: off the list, the others in the same order.
    const after = await review(100);
    expect(after.map((s) => s.story)).toEqual(listed.slice(3).map((s) => s.story));
  });
});
