/**
 * The HTTP server (`newsdesk serve`): the Feeds with ETag, Last-Modified and
 * 304, health checks for whoever runs it (`/healthz`: the process answers;
 * `/readyz`: the database, and Redis when configured, answer too), Prometheus
 * metrics (`/metrics`), the editor pages (src/web/editor/: /login, /editions,
 * /stories, /sources), and with Redis the queue dashboard (`/admin/queues`).
 * The Feed route is a catch-all: fastify matches the fixed paths above before
 * any wildcard, whatever the order they are registered in.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createRegistry } from '../metrics.js';
import { BullJobs, QUEUE_NAMES } from '../queue/bullmq.js';
import type { Runtime } from '../runtime.js';
import { registerDashboard } from './admin.js';
import { registerEditorPages } from './editor/pages.js';
import { dashboardAccess, sameOrigin } from './editor/session.js';
import { FeedFiles, feedFileName, notModified } from './feed-files.js';
import { registerSubscriberPages } from './subscribe/pages.js';

/** How long a reader may reuse a Feed without asking (it then revalidates with its ETag). */
const FEED_MAX_AGE_SECONDS = 300;
/** Published files (Feeds, Edition pages): inline styles and images only; links open in a new context outside the sandbox. */
const PUBLISHED_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'; " +
  'sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation';

export function buildServer(runtime: Runtime): FastifyInstance {
  // Behind a reverse proxy, request.ip is the client's (login limits count per client) only with trustProxy.
  const app = Fastify({ logger: false, trustProxy: runtime.config.web.trustProxy });
  const feeds = new FeedFiles(runtime.config.output);
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
  registerEditorPages(app, runtime);
  registerSubscriberPages(app, runtime);

  if (queues) {
    registerDashboard(app, {
      queues: QUEUE_NAMES.map((name) => queues.queue(name)),
      token: admin.token,
      allow: dashboardAccess(runtime),
      sameOrigin: (request) => sameOrigin(request, runtime.config),
    });
  }

  app.get('/*', async (request, reply) => {
    const name = feedFileName(request.url.split('?')[0]!);
    const file = name ? await feeds.read(name) : null;
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
    reply
      .header('etag', file.etag)
      .header('last-modified', file.lastModified.toUTCString())
      .header('cache-control', `public, max-age=${FEED_MAX_AGE_SECONDS}`)
      .header('x-content-type-options', 'nosniff')
      // The published Edition pages share this origin with the editor pages: no script, no forms, no frames,
      // whatever a page holds; the email's own styles and images still show. (Feeds need none of it either.)
      .header('content-security-policy', PUBLISHED_PAGE_POLICY);
    if (notModified(file, request.headers as Record<string, string | undefined>)) return reply.code(304).send();
    return reply.type(file.contentType).send(file.body);
  });

  app.addHook('onClose', async () => {
    await queues?.close();
    redis?.disconnect();
  });
  return app;
}
