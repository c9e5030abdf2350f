/**
 * The HTTP server (`newsdesk serve`): the Feeds with ETag, Last-Modified and
 * 304, and health checks for whoever runs it (`/healthz`: the process answers;
 * `/readyz`: the database, and Redis when configured, answer too).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { redisConnection } from '../queue/bullmq.js';
import type { Runtime } from '../runtime.js';
import { FeedFiles, feedFileName, notModified } from './feed-files.js';

/** How long a reader may reuse a Feed without asking (it then revalidates with its ETag). */
const FEED_MAX_AGE_SECONDS = 300;

export function buildServer(runtime: Runtime): FastifyInstance {
  const app = Fastify({ logger: false });
  const feeds = new FeedFiles(runtime.config.output);
  let redis: Redis | null = null;

  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      await runtime.db.query('select 1');
      checks.database = 'ok';
    } catch (error) {
      checks.database = `failing: ${(error as Error).message}`;
    }
    if (runtime.config.redis.url) {
      try {
        redis ??= redisConnection(runtime.config.redis.url);
        await redis.ping();
        checks.redis = 'ok';
      } catch (error) {
        checks.redis = `failing: ${(error as Error).message}`;
      }
    }
    const ready = Object.values(checks).every((check) => check === 'ok');
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });

  app.get('/*', async (request, reply) => {
    const name = feedFileName(request.url.split('?')[0]!);
    const file = name ? await feeds.read(name) : null;
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
    reply
      .header('etag', file.etag)
      .header('last-modified', file.lastModified.toUTCString())
      .header('cache-control', `public, max-age=${FEED_MAX_AGE_SECONDS}`)
      .header('x-content-type-options', 'nosniff');
    if (notModified(file, request.headers as Record<string, string | undefined>)) return reply.code(304).send();
    return reply.type(file.contentType).send(file.body);
  });

  app.addHook('onClose', async () => {
    redis?.disconnect();
  });
  return app;
}
