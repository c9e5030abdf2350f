/**
 * The public Story page, on both stores: `newsdesk serve` answers
 * /stories/<id> on a real socket with the same bytes publish wrote to
 * stories/<id>/index.html, with the public pages' headers (CSP without inline
 * script or style) and without login; escapes what a Source gave; 404 for an
 * unknown id; 301 from a merged-away id to the Story it went into, whose old
 * file then sends readers on. Every entry of the JSON Feed has a url, and each
 * one on the site is a page serve answers. The editors' page is /stories/<id>/edit.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishFeeds } from '../../src/publish/publish-feeds.js';
import { runPipeline } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { InlineJobs } from '../../src/queue/inline.js';
import { jobDeps, openRuntime, type Runtime } from '../../src/runtime.js';
import { mergeStories } from '../../src/store/story-edits.js';
import { PAGE_HEADERS } from '../../src/web/editor/pages.js';
import { buildServer } from '../../src/web/server.js';
import { sampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const TRICKY = `Kim & Moon <script>alert("x")</script> <img src=x onerror=alert(1)> 'talks'`;

describe.each(['pglite', 'postgres'] as const)('the public Story page (%s)', (store) => {
  const cleanups: (() => Promise<void>)[] = [];
  let config: Config;
  let runtime: Runtime;
  let app: FastifyInstance;
  let base: string;
  let ids: string[];

  beforeAll(async () => {
    config = await sampleConfig(store, cleanups);
    const run = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish'] });
    expect(run.storyPages).toEqual({ written: 45, unchanged: 0, moved: 0 });
    runtime = await openRuntime(config, log);
    app = buildServer(runtime);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    ids = (await runtime.db.query<{ id: string }>('select id from stories where merged_into is null order by id')).map((row) => row.id);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    for (const cleanup of cleanups) await cleanup();
  });

  const get = (pathname: string) => fetch(`${base}${pathname}`, { redirect: 'manual' });
  const file = (id: string) => path.join(config.output, 'stories', id, 'index.html');
  const publish = () => publishFeeds({}, jobDeps(runtime, new InlineJobs(new Set())));

  it('serves the page publish wrote, byte for byte, without login, with the public pages\' headers', async () => {
    for (const id of ids.slice(0, 5)) {
      const response = await get(`/stories/${id}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(PAGE_HEADERS['content-security-policy']);
      expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(await response.text()).toBe(readFileSync(file(id), 'utf8'));
    }
    // The stylesheet the page links, beside the pages for a static host, and served.
    expect(existsSync(path.join(config.output, 'assets', 'editor.css'))).toBe(true);
    expect((await get('/assets/editor.css')).status).toBe(200);
  });

  it('shows the Story: title, Outlet and dates known, excerpt, Topics, where it was seen', async () => {
    const [story] = await runtime.db.query<{ id: string; title: string; outlets: string[]; summary: string }>(
      `select s.id, i.title, i.outlets, i.summary from stories s join items i on i.id = s.representative_item_id
       where s.merged_into is null and cardinality(i.outlets) > 0 and exists (select 1 from story_topics t where t.story_id = s.id)
       order by s.id limit 1`,
    );
    const dom = parseDocument(await (await get(`/stories/${story!.id}`)).text());
    const text = (node: Parameters<typeof DomUtils.textContent>[0]) => DomUtils.textContent(node).replace(/\s+/g, ' ').trim();
    expect(DomUtils.getElementsByTagName('h1', dom).map(text)).toEqual([story!.title]);
    const paragraphs = DomUtils.getElementsByTagName('p', dom).map(text);
    expect(paragraphs[0]).toMatch(new RegExp(`^${story!.outlets[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · (published [^·]+ · )?first seen here \\d{1,2} \\w{3} \\d{4}$`));
    expect(paragraphs).toContain(story!.summary.replace(/\s+/g, ' ').trim());
    const topics = await runtime.db.query<{ slug: string }>('select slug from story_topics where story_id = $1 order by score desc, slug', [story!.id]);
    const labels = topics.map((t) => runtime.taxonomy.topics.find((topic) => topic.slug === t.slug)!.label);
    expect(paragraphs).toContain(`Topics: ${labels.join(' · ')}`);
    const seen = DomUtils.getElementsByTagName('li', dom).map(text);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatch(/^Family Care Foundation and Crossing Borders archive pages/);
  });

  it('escapes what a Source gave, on the page served and in the file published', async () => {
    const id = ids[0]!;
    await runtime.db.query('update items set title = $2 where id = (select representative_item_id from stories where id = $1)', [id, TRICKY]);
    const served = await (await get(`/stories/${id}`)).text();
    await publish();
    const written = readFileSync(file(id), 'utf8');
    expect(written).toBe(served);
    const dom = parseDocument(served);
    expect(DomUtils.getElementsByTagName('script', dom)).toHaveLength(0);
    expect(DomUtils.getElementsByTagName('img', dom)).toHaveLength(0);
    expect(DomUtils.textContent(DomUtils.getElementsByTagName('h1', dom)[0]!)).toBe(TRICKY);
    expect(served).toContain('Kim &amp; Moon &lt;script&gt;');
  });

  it('answers 404 for an unknown or malformed id', async () => {
    for (const pathname of ['/stories/st_00000000000000000000', '/stories/..%2F..%2Fnewsdesk.yaml', '/stories/%3Cscript%3E']) {
      const response = await get(pathname);
      expect(response.status, pathname).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(PAGE_HEADERS['content-security-policy']);
      const body = await response.text();
      expect(body).toContain('No such Story');
      expect(body).not.toContain('<script>');
    }
  });

  it('answers 301 from a merged-away id to the Story it went into; publish then replaces its file with one sending readers on', async () => {
    const { into, merged } = await mergeStories(runtime.db, [ids[1]!, ids[2]!], { editor: 'ana@example.org', note: 'a test' });
    const away = merged[0]!;
    const response = await get(`/stories/${away}`);
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(`/stories/${into}`);
    expect((await get(`/stories/${into}`)).status).toBe(200);

    const result = await publish();
    expect(result.storyPages.moved).toBe(1);
    const moved = readFileSync(file(away), 'utf8');
    expect(moved).toContain(`<meta http-equiv="refresh" content="0; url=https://news.example.org/stories/${into}">`);
    expect(moved).not.toMatch(/<script/i);
  });

  it('gives every JSON Feed entry a url, each one on the site a page serve answers and publish wrote', async () => {
    const feed = JSON.parse(readFileSync(path.join(config.output, 'feed.json'), 'utf8')) as { items: { id: string; url?: string }[] };
    expect(feed.items.length).toBeGreaterThan(0);
    for (const item of feed.items) {
      expect(item.url, item.id).toMatch(/^https:\/\/news\.example\.org\/stories\/st_[0-9a-f]+$/);
      const { pathname } = new URL(item.url!);
      expect((await get(pathname)).status, pathname).toBe(200);
      expect(existsSync(path.join(config.output, pathname, 'index.html')), pathname).toBe(true);
    }
  });

  it("keeps the editors' page of a Story behind login, at /stories/<id>/edit", async () => {
    const response = await get(`/stories/${ids[0]}/edit`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/stories/${ids[0]}/edit`)}`);
  });
});
