/**
 * The HTTP server (`newsdesk serve`): the Feeds with ETag, Last-Modified and
 * 304, health checks for whoever runs it (`/healthz`: the process answers;
 * `/readyz`: the database, and Redis when configured, answer too), Prometheus
 * metrics (`/metrics`), the editor pages (src/web/editor/: /login, /editions,
 * /stories, /sources, /subscribers), the public Story pages (`/stories/<id>`),
 * and with Redis the queue dashboard (`/admin/queues`).
 * The Feed route is a catch-all: fastify matches the fixed paths above before
 * any wildcard, whatever the order they are registered in.
 */
import fastifyCompress, { type FastifyCompressOptions } from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createRegistry } from '../metrics.js';
import { BullJobs } from '../queue/bullmq.js';
import { QUEUE_NAMES } from '../queue/jobs.js';
import type { Runtime } from '../runtime.js';
import { registerDashboard } from './admin.js';
import { registerEditorPages } from './editor/pages.js';
import { dashboardAccess, sameOrigin } from './editor/session.js';
import { registerFeeds } from './feed-files.js';
import { registerStoryPage } from './story-page.js';
import { registerSubscriberPages } from './subscribe/pages.js';

/**
 * gzip and brotli as the client's Accept-Encoding asks, for the Feeds and every page: a 125 KB Feed goes out
 * as 37 KB. Not deflate (clients disagree on what it means). Request bodies are not decompressed: no
 * form or webhook needs it. Routes added on `app` before the plugin loads (/healthz, /readyz, /metrics, all
 * small) stay uncompressed; every other route is added in a plugin, after it.
 */
const COMPRESSION: FastifyCompressOptions = { encodings: ['br', 'gzip'], globalDecompression: false };

export function buildServer(runtime: Runtime): FastifyInstance {
  // Behind a reverse proxy, request.ip is the client's (login limits count per client) only with trustProxy.
  const app = Fastify({ logger: false, trustProxy: runtime.config.web.trustProxy });
  app.register(fastifyCompress, COMPRESSION);
  const { redis: redisConfig, admin } = runtime.config;
  // One connection for /readyz, the queue depths and the dashboard; it makes no blocking calls, so unlike a
  // worker's it may fail commands. No offline queue, one retry: while Redis is down a command fails at
  // once, and /readyz and /metrics answer instead of waiting for Redis to come back.
  const redis = redisConfig.url ? new Redis(redisConfig.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null;
  const queues = redis ? new BullJobs(redis, redisConfig.prefix) : null;
  const metrics = createRegistry({ queues: queues ?? undefined, log: runtime.log });

  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      await runtime.db.query('select 1');
      checks.database = 'ok';
    } catch (error) {
      // The cause goes to the log, not to whoever asks: it can name hosts and users.
      runtime.log.warn({ err: error }, 'readyz: the database does not answer');
      checks.database = 'failing';
    }
    if (redis) {
      try {
        await redis.ping();
        checks.redis = 'ok';
      } catch (error) {
        runtime.log.warn({ err: error }, 'readyz: Redis does not answer');
        checks.redis = 'failing';
      }
    }
    const ready = Object.values(checks).every((check) => check === 'ok');
    // Said, not counted: the Feeds and the editor pages work without mail, but no email can go out (subscribe is closed).
    const mail = runtime.config.mail.smtpUrl ? 'configured' : 'not configured (mail.smtpUrl): no email is sent';
    return reply.code(ready ? 200 : 503).send({ ready, checks, mail });
  });

  app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));

  // First: it registers the cookie parser the dashboard reads the editor session with.
  registerEditorPages(app, runtime, metrics, queues);
  registerSubscriberPages(app, runtime);
  registerStoryPage(app, runtime);

  if (queues) {
    registerDashboard(app, {
      queues: QUEUE_NAMES.map((name) => queues.queue(name)),
      token: admin.token,
      allow: dashboardAccess(runtime),
      sameOrigin: (request) => sameOrigin(request, runtime.config),
    });
  }

  registerFeeds(app, runtime.config.output);

  app.addHook('onClose', async () => {
    await queues?.close();
    redis?.disconnect();
  });
  return app;
}
