/**
 * The queue dashboard (bull-board) at /admin/queues in `newsdesk serve`: the
 * jobs on every queue, failed ones with why, retry and clean by hand.
 *
 * Open to a logged-in editor (the session cookie of the editor pages), and to
 * scripts with one shared token (config `admin.token`, env
 * NEWSDESK_ADMIN_TOKEN) as the password of HTTP Basic auth, any user name.
 * A browser with neither is sent to the login page.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * The dashboard's header: our name, and the way back to the editor pages in
 * its menu of links (bull-board's `uiConfig.miscLinks`, documented for a
 * logout link; its logo leads to the dashboard's own front page). The
 * dashboard is bull-board's own single-page app, so the way back is one of
 * its links rather than our page header.
 */
export const DASHBOARD_UI = {
  boardTitle: 'newsdesk queues',
  miscLinks: [
    { text: 'Back to the editor pages', url: '/editions' },
    { text: 'Sources', url: '/sources' },
    { text: 'Subscribers', url: '/subscribers' },
  ],
};

/** Whether an Authorization header carries Basic credentials whose password is the token (the user name is not checked). */
export function basicAuthMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization ?? '');
  if (!match) return false;
  const credentials = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  if (colon < 0) return false;
  // timingSafeEqual wants equal lengths: digests of both always are, and say nothing of the token's length.
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(credentials.slice(colon + 1)), digest(token));
}

export interface DashboardOptions {
  queues: Queue[];
  /** The Basic auth password for scripts; none: editors only. */
  token?: string | undefined;
  /** Whether the request comes from a logged-in editor. */
  allow?: (request: FastifyRequest) => Promise<boolean>;
  /** Whether a browser's request comes from this site's own pages (no Origin, a script: yes). */
  sameOrigin?: (request: FastifyRequest) => boolean;
}

/** Registers the dashboard under DASHBOARD_PATH, every route of it (page, static assets, API) behind the token or an editor's login. */
export function registerDashboard(app: FastifyInstance, options: DashboardOptions): void {
  const board = new FastifyAdapter();
  board.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: options.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: board, options: { uiConfig: DASHBOARD_UI } });

  // One encapsulated scope: its onRequest hook runs before every route registered in it or in its children.
  app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        // A browser that has the Basic credentials cached sends them with another site's form too: a change
        // must come from our own pages, whichever way it is authenticated.
        if (request.method !== 'GET' && request.method !== 'HEAD' && options.sameOrigin && !options.sameOrigin(request)) {
          return reply.code(403).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('cross-site request refused\n');
        }
        if (options.token && basicAuthMatches(request.headers.authorization, options.token)) return;
        if (options.allow && (await options.allow(request))) return;
        if (request.method === 'GET' && request.headers.accept?.includes('text/html')) {
          return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
        }
        if (options.token) reply.header('www-authenticate', 'Basic realm="newsdesk admin"');
        return reply
          .code(401)
          .header('cache-control', 'no-store')
          .type('text/plain; charset=utf-8')
          .send('unauthorized\n');
      });
      // Any other address under the dashboard is answered here, behind the token, not by the Feed route.
      scope.get('/*', async (_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('not found\n'));
      await scope.register(board.registerPlugin());
    },
    { prefix: DASHBOARD_PATH },
  );
}
