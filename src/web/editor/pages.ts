/**
 * The editor pages of `newsdesk serve`: log in, review and approve the weekly
 * Edition, correct Stories and their Topics, watch, add and switch Sources,
 * see the Subscribers.
 * Server-rendered HTML forms; every change is a POST carrying the session's
 * CSRF token that redirects back to a page (POST-redirect-GET), its outcome
 * shown there. Everything lives in one encapsulated fastify scope, so its body
 * parser, hooks and headers touch no Feed route.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { errorMessage, NewsdeskError } from '../../errors.js';
import { loginCounter } from '../../metrics.js';
import type { BullJobs } from '../../queue/bullmq.js';
import type { Runtime } from '../../runtime.js';
import { clearFlash, setFlash } from '../../store/editor-sessions.js';
import { registerLogin } from './auth.js';
import { registerEditionOptions } from './edition-options.js';
import { registerEditionPages } from './editions.js';
import { registerPreview } from './preview.js';
import { cookieSettings, maskCsrfToken, requireEditor, sessionOf, type CookieSettings } from './session.js';
import { registerSourcePages } from './sources.js';
import { registerStoryPages } from './stories.js';
import { registerSubscriberListPages } from './subscribers.js';
import { ASSETS, renderTemplate } from './views.js';

export interface EditorContext {
  runtime: Runtime;
  /** The queues when deployed with Redis (a changed Source's schedule is set there); null when jobs run in-process. */
  jobs: BullJobs | null;
  cookie: CookieSettings;
  /** Renders a page for the logged-in editor, with (and then without) the message the last POST left. */
  show(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown>, code?: number): Promise<FastifyReply>;
  /**
   * Runs an editor's change and redirects to `back`, the page then showing
   * what happened: the message `change` returns, or the NewsdeskError that refused it.
   */
  act(request: FastifyRequest, reply: FastifyReply, back: string | (() => string), change: () => Promise<string>): Promise<FastifyReply>;
}

/**
 * The pages' headers. No script but our own file, no inline style or script,
 * forms (and the review page's script's POSTs, connect-src) only to us; framed
 * by nobody (the Edition preview relaxes this for itself). Drafts and sessions
 * are private: nothing is cached.
 */
export const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export function registerEditorPages(app: FastifyInstance, runtime: Runtime, metrics: Registry, jobs: BullJobs | null = null): void {
  // At the root: the queue dashboard reads the session cookie too.
  app.register(fastifyCookie);
  const cookie = cookieSettings(runtime.config);
  const dashboard = runtime.config.redis.url !== '';

  const context: EditorContext = {
    runtime,
    jobs,
    cookie,
    async show(request, reply, template, data, code = 200) {
      const editor = request.editor;
      if (editor?.flash) await clearFlash(runtime.db, editor.id);
      const html = renderTemplate(template, { ...data, editor, csrf: editor ? maskCsrfToken(editor.csrfToken) : '', flash: editor?.flash ?? null, dashboard }, runtime.config.schedule.compose.timezone);
      return reply.code(code).type('text/html; charset=utf-8').send(html);
    },
    async act(request, reply, back, change) {
      const session = request.editor!;
      try {
        await setFlash(runtime.db, session.id, { kind: 'ok', message: await change() });
      } catch (error) {
        if (!(error instanceof NewsdeskError)) throw error;
        await setFlash(runtime.db, session.id, { kind: 'error', message: error.message });
      }
      return reply.redirect(typeof back === 'string' ? back : back(), 303);
    },
  };

  app.register(async (scope) => {
    await scope.register(fastifyFormbody, { bodyLimit: 256 * 1024 });
    scope.decorateRequest('editor', null);
    scope.addHook('onRequest', async (request, reply) => {
      reply.headers(PAGE_HEADERS);
      request.editor = await sessionOf(request, runtime.db, cookie);
    });
    scope.addHook('preHandler', requireEditor);
    scope.setErrorHandler(async (error, request, reply) => {
      const status = error instanceof NewsdeskError ? (error.code === 'not_found' ? 404 : 400) : ((error as { statusCode?: number }).statusCode ?? 500);
      if (status >= 500) runtime.log.error({ err: error, url: request.url }, 'editor page failed');
      const message = status >= 500 ? 'newsdesk: something went wrong on our side; the log has the details' : errorMessage(error);
      if (request.method !== 'GET' || !request.editor) return reply.code(status).type('text/plain; charset=utf-8').send(`${message}\n`);
      return context.show(request, reply, 'error', { title: status === 404 ? 'Not found' : 'Error', message }, status);
    });

    scope.get('/assets/:name', { config: { public: true } }, async (request, reply) => {
      const asset = ASSETS[(request.params as { name: string }).name];
      if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
      return reply.header('cache-control', 'public, max-age=3600').type(asset.type).send(asset.body);
    });

    registerLogin(scope, context, loginCounter(metrics));
    registerEditionPages(scope, context);
    registerEditionOptions(scope, context);
    registerPreview(scope, context);
    registerStoryPages(scope, context);
    registerSourcePages(scope, context);
    registerSubscriberListPages(scope, context);
  });
}
