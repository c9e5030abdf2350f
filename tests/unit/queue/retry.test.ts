/**
 * One retry boundary: errors say whether retrying can help (NewsdeskError's
 * `permanent`); the deployed worker turns a permanent one into BullMQ's
 * UnrecoverableError and the embedded run records it as permanent, from the
 * same flag. Handlers never import bullmq.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError, isPermanent, NewsdeskError, RenderError } from '../../../src/errors.js';
import { InlineJobs, type Handlers } from '../../../src/queue/inline.js';
import { jobFailure } from '../../../workers/main.js';

const cases: [string, boolean, unknown][] = [
  ['a configuration error', true, new ConfigError('newsdesk.yaml', [{ key: 'mail.smtpUrl', message: 'missing' }])],
  ['a NewsdeskError said to be permanent', true, new NewsdeskError('not_found', 'ingest: unknown Source "x"', { permanent: true })],
  ['a NewsdeskError by default', false, new NewsdeskError('send_deferred', 'send: 3 Deliveries deferred')],
  ['one bad input', false, new InputError('parse', 'feed.xml', 'not a feed')],
  ['an Edition that cannot render', false, new RenderError('2026-W01', ['no postal address'])],
  ['a plain Error (a dropped connection)', false, new Error('read ECONNRESET')],
  ['a thrown string', false, 'boom'],
];

describe('the retry boundary', () => {
  it.each(cases)('%s: permanent %s', (_, permanent, error) => {
    expect(isPermanent(error)).toBe(permanent);
    const failure = jobFailure(error);
    if (permanent) {
      expect(failure).toBeInstanceOf(UnrecoverableError);
      expect((failure as Error).message).toBe((error as Error).message);
    } else {
      expect(failure).toBe(error);
    }
  });

  it('InlineJobs records the same flag, and a ConfigError a handler did not wrap is permanent', async () => {
    const jobs = new InlineJobs(new Set(['ingest']));
    const thrown = [new ConfigError('newsdesk.yaml', [{ key: 'fetch.userAgent', message: 'missing' }]), new Error('socket hang up')];
    const handlers = {
      ingest: async ({ sourceId }: { sourceId: string }) => {
        throw thrown[Number(sourceId)];
      },
    } as unknown as Handlers;
    await jobs.add('ingest', { sourceId: '0' });
    await jobs.add('ingest', { sourceId: '1' });
    const records = await jobs.drain(handlers);
    expect(records.map((r) => [r.error, r.permanent ?? false])).toEqual([
      ['config: newsdesk.yaml: fetch.userAgent: missing', true],
      ['socket hang up', false],
    ]);
  });

  it('handlers do not import bullmq: of workers/, only the worker itself (main.ts) does', () => {
    const importers = readdirSync('workers')
      .filter((file) => file.endsWith('.ts') && /from 'bullmq'/.test(readFileSync(path.join('workers', file), 'utf8')));
    expect(importers).toEqual(['main.ts']);
  });
});
