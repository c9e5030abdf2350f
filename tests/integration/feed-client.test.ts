/**
 * Every Feed published for the samples, read back by rss-parser, the common
 * Node.js feed client: what a reader built on it shows must be what newsdesk
 * meant, which the JSON Feed beside each one says in plain JSON. The overall
 * RSS and Atom Feeds and each Topic's, entry by entry: the same ids in the same
 * order, titles, links, authors and content.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { runPipeline } from '../../workers/embedded.js';
import { sampleConfig } from '../helpers/sample-config.js';

interface JsonFeed {
  title: string;
  items: { id: string; url?: string; title?: string; content_html?: string; authors?: { name: string }[] }[];
}

const cleanups: (() => Promise<void>)[] = [];
let output: string;

beforeAll(async () => {
  const config = await sampleConfig('pglite', cleanups, { processed: true });
  const run = await runPipeline(config, createLogger({ level: 'silent' }), { command: 'publish', queues: ['publish'] });
  expect(run.problems).toEqual([]);
  output = config.output;
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Each XML Feed published, with the JSON Feed of the same entries. */
function publishedFeeds(): { file: string; kind: 'rss' | 'atom'; json: string }[] {
  const topics = readdirSync(path.join(output, 'topics'));
  return [
    { file: 'feed.xml', kind: 'rss' as const, json: 'feed.json' },
    { file: 'atom.xml', kind: 'atom' as const, json: 'feed.json' },
    ...topics.filter((name) => name.endsWith('.xml')).map((name) => ({ file: `topics/${name}`, kind: 'rss' as const, json: `topics/${name.replace(/\.xml$/, '.json')}` })),
    ...topics.filter((name) => name.endsWith('.atom')).map((name) => ({ file: `topics/${name}`, kind: 'atom' as const, json: `topics/${name.replace(/\.atom$/, '.json')}` })),
  ];
}

describe('the published Feeds as rss-parser reads them', () => {
  it('are every Feed publish wrote: the overall two and two per Topic', () => {
    const feeds = publishedFeeds();
    const topicFeeds = feeds.filter((feed) => feed.file.startsWith('topics/'));
    expect(topicFeeds.length).toBeGreaterThanOrEqual(16);
    expect(topicFeeds.filter((feed) => feed.kind === 'rss').length).toBe(topicFeeds.filter((feed) => feed.kind === 'atom').length);
  });

  it('give each entry with the JSON Feed\'s id, title, link, author and content, in its order', async () => {
    const parser = new Parser();
    for (const { file, kind, json } of publishedFeeds()) {
      const read = await parser.parseString(readFileSync(path.join(output, file), 'utf8'));
      const meant = JSON.parse(readFileSync(path.join(output, json), 'utf8')) as JsonFeed;
      expect(read.title, file).toBe(meant.title);
      expect(read.items.length, file).toBe(meant.items.length);
      expect(meant.items.length, file).toBeGreaterThan(0);
      read.items.forEach((item, i) => {
        const entry = meant.items[i]!;
        const where = `${file} entry ${i + 1}`;
        expect(kind === 'rss' ? item.guid : (item as { id?: string }).id, where).toBe(entry.id);
        expect(item.title, where).toBe(entry.title);
        expect(item.link, where).toBe(entry.url);
        expect(kind === 'rss' ? item.creator : (item as { author?: string }).author, where).toBe(entry.authors?.[0]?.name);
        // The whole article: RSS carries it in content:encoded (its description is the summary), Atom in <content>.
        expect(kind === 'rss' ? (item as { 'content:encoded'?: string })['content:encoded'] : item.content, where).toBe(entry.content_html);
      });
    }
  });
});
