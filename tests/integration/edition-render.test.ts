/**
 * The weekly Edition as an email and in public, on the bundled samples: the run
 * writes out/edition.html and .txt for the week it composed; once the Edition
 * is sent, publish writes its page (email/<id>.html) and the Editions Feed (valid Atom), leaves
 * them alone when nothing changed, and `newsdesk serve` serves both.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type PipelineSummary } from '../../workers/embedded.js';
import type { Config } from '../../src/config.js';
import { previewEdition } from '../../src/digest/preview.js';
import { createLogger } from '../../src/log.js';
import { editionEntryId } from '../../src/publish/editions.js';
import { InlineJobs } from '../../src/queue/inline.js';
import { jobDeps, openRuntime, type Runtime, withRuntime } from '../../src/runtime.js';
import { getEdition } from '../../src/store/editions.js';
import { buildServer } from '../../src/web/server.js';
import { composeWeek } from '../../src/digest/compose-week.js';
import { sampleConfig } from '../helpers/sample-config.js';

const log = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
let config: Config & { folder: string };
let run: PipelineSummary;
let editionId: string;

beforeAll(async () => {
  config = await sampleConfig('pglite', cleanups);
  run = await runPipeline(config, log, { command: 'run', queues: ['ingest', 'process', 'publish', 'compose'] });
  editionId = run.edition!.editionId;
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

function hrefs(html: string): string[] {
  const dom = parseDocument(html);
  return DomUtils.findAll((element) => element.attribs.href !== undefined, dom.children).map((element) => element.attribs.href!);
}

/** Absolute http(s) or mailto, or (the contents) to an element of the email itself. */
function expectFollowable(links: string[]): void {
  for (const href of links.filter((link) => !link.startsWith('#'))) expect(['http:', 'https:', 'mailto:'], href).toContain(new URL(href).protocol);
}

describe('the composed Edition as an email (npm start)', () => {
  it('writes out/edition.html under the Gmail limit, every link absolute, and out/edition.txt', async () => {
    expect(run.editionPreview).toMatchObject({ status: 'written', editionId });
    const htmlFile = path.join(config.output, 'edition.html');
    const html = readFileSync(htmlFile, 'utf8');
    expect(statSync(htmlFile).size).toBeLessThan(102_400);
    expect(html).toMatch(/^<!doctype html>\s*<html lang="en"/);
    const links = hrefs(html);
    expect(links).toContain('https://news.example.org/unsubscribe');
    expectFollowable(links);

    const text = readFileSync(path.join(config.output, 'edition.txt'), 'utf8');
    const edition = (await withRuntime(config, log, ({ db }) => getEdition(db, editionId)))!;
    expect(edition.entries.length).toBeGreaterThan(3);
    for (const entry of edition.entries) expect(text).toContain(entry.title.slice(0, 40));
    expect(text).toContain('Unsubscribe: https://news.example.org/unsubscribe');
    expect(text).toContain('12 Example Street, Seoul 03000, Republic of Korea');
  });

  it('writes no email for a skipped week, and removes an earlier one', async () => {
    const result = await withRuntime(config, log, async (runtime) => {
      const composed = await composeWeek({ week: '2020-W01' }, jobDeps(runtime, new InlineJobs(new Set())));
      return previewEdition(runtime.db, config, composed.editionId, config.output, 'edition');
    });
    expect(result).toMatchObject({ status: 'skipped', editionId: '2020-W01' });
    expect(existsSync(path.join(config.output, 'edition.html'))).toBe(false);
    expect(existsSync(path.join(config.output, 'edition.txt'))).toBe(false);
  });
});

describe('a sent Edition in public (publish)', () => {
  let page: string;
  let published: PipelineSummary;

  beforeAll(async () => {
    await withRuntime(config, log, ({ db }) => db.query(`update editions set status = 'sent' where id = $1`, [editionId]));
    published = await runPipeline(config, log, { command: 'publish', queues: ['publish'] });
    page = path.join(config.output, 'email', `${editionId}.html`);
  });

  it('writes its page, with the generic footer links and no other Edition', async () => {
    expect(published.editionPages).toMatchObject({ sent: 1, refused: [] });
    expect(published.editionPages.written).toContain(page);
    const html = readFileSync(page, 'utf8');
    const edition = (await withRuntime(config, log, ({ db }) => getEdition(db, editionId)))!;
    expect(html).toContain(`<title>${edition.subject.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title>`);
    const links = hrefs(html);
    expect(links).toContain('https://news.example.org/unsubscribe');
    expect(links).toContain('https://news.example.org/preferences');
    expect(links.some((href) => href.includes('/email/'))).toBe(false);
    expectFollowable(links);
    expect(existsSync(path.join(config.output, 'email', '2020-W01.html'))).toBe(false);
  });

  it('writes the Editions Feed as RSS, Atom and JSON Feed, each entry linking to its page with a stable id', async () => {
    const link = `https://news.example.org/email/${editionId}.html`;
    const id = editionEntryId(editionId);
    const rss = readFileSync(path.join(config.output, 'editions.xml'), 'utf8');
    expect(rss).toContain(`<link>${link}</link>`);
    expect(rss).toContain(`<guid isPermaLink="false">${id}</guid>`);
    const atom = readFileSync(path.join(config.output, 'editions.atom'), 'utf8');
    expect(atom).toContain(`<id>${id}</id>`);
    expect(atom).toContain(`<link href="${link}"/>`);
    expect(atom).toContain('<link rel="self" href="https://news.example.org/editions.atom"/>');
    const json = JSON.parse(readFileSync(path.join(config.output, 'editions.json'), 'utf8')) as { items: { id: string; url: string; title: string }[] };
    expect(json.items).toEqual([expect.objectContaining({ id, url: link })]);

    // The same id whatever the site's address.
    expect(editionEntryId(editionId)).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(editionEntryId('2020-W02')).not.toBe(id);
  });

  it('writes Atom that validates against RFC 4287 (jing)', () => {
    const file = path.join(config.output, 'editions.atom');
    const valid = spawnSync('jing', ['-c', path.resolve('tests/fixtures/atom-schema/rfc4287.rnc'), file], { encoding: 'utf8' });
    if (valid.error) throw new Error(`jing is not installed (apt-get install -y jing): ${valid.error.message}`);
    expect(valid.status, `${valid.stdout}${valid.stderr}`).toBe(0);
  });

  it('leaves the page and the Feed alone when nothing changed', async () => {
    const again = await runPipeline(config, log, { command: 'publish', queues: ['publish'] });
    expect(again.editionPages.written).toEqual([]);
    expect(again.editionPages.unchanged).toHaveLength(4);
  });

  describe('newsdesk serve', () => {
    let runtime: Runtime;
    let app: FastifyInstance;
    let base: string;

    beforeAll(async () => {
      runtime = await openRuntime(config, log);
      app = buildServer(runtime);
      base = await app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => {
      await app.close();
      await runtime.close();
    });

    it('serves the page as HTML and the Editions Feed with its media types, ETags and 304s', async () => {
      for (const [name, type] of [
        [`email/${editionId}.html`, 'text/html; charset=utf-8'],
        ['editions.xml', 'application/rss+xml'],
        ['editions.atom', 'application/atom+xml'],
        ['editions.json', 'application/feed+json'],
      ] as const) {
        const response = await fetch(`${base}/${name}`);
        expect(response.status, name).toBe(200);
        expect(response.headers.get('content-type')).toContain(type);
        expect(await response.text()).toBe(readFileSync(path.join(config.output, name), 'utf8'));
        const again = await fetch(`${base}/${name}`, { headers: { 'if-none-match': response.headers.get('etag')! } });
        expect(again.status).toBe(304);
      }
    });

    it('serves no other file under email/', async () => {
      for (const name of [
        'email/2020-W01.html', // no such page
        `email/${editionId}.htm`,
        `email/${editionId}.html.tmp`,
        'email/..%2Ffeed.xml',
        'email/../edition.html',
        'edition.html',
        'email/',
        'email/x/../../package.json',
        `email/${editionId}.HTML`,
      ]) {
        expect((await fetch(`${base}/${name}`)).status, name).toBe(404);
      }
    });
  });
});
