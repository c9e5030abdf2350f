/**
 * Who is asking: the editor session behind a request's cookie, and the checks
 * every editor page makes with it. A page without a session sends the browser
 * to /login; a POST without one is refused (401), and a POST without the
 * session's CSRF token too (403).
 *
 * CSRF: a synchronizer token per session, kept in the session's row and put in
 * every form, rather than @fastify/csrf-protection. The session already lives
 * in the database, so the token needs no second secret, cookie or plugin, ends
 * with the session, and one comparison checks it. SameSite=Lax on the cookie is
 * the second fence: browsers do not send it with another site's POST.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../store/db.js';
import { findSession, type EditorSession, type SessionLimits } from '../../store/editor-sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in editor, set by the editor pages' hook; null when there is none. */
    editor: EditorSession | null;
  }
  interface FastifyContextConfig {
    /** An editor route anyone may reach (the login page, the stylesheet). */
    public?: boolean;
  }
}

export const SESSION_LIMITS: SessionLimits = { idleMs: 12 * 3600_000, maxAgeMs: 7 * 24 * 3600_000 };

export interface CookieSettings {
  name: string;
  options: CookieSerializeOptions;
}

/**
 * The session cookie: httpOnly (no script reads it), SameSite=Lax (not sent
 * with another site's POST, still sent when an editor follows a link to a
 * page), Path=/ (the pages and the queue dashboard). Over https it is Secure
 * and takes the __Host- prefix, which browsers only accept from a secure origin
 * without a Domain: no subdomain can set or shadow it.
 */
export function cookieSettings(config: Config): CookieSettings {
  const secure = config.web.secureCookies === 'auto' ? config.site.url.startsWith('https:') : config.web.secureCookies;
  return { name: secure ? '__Host-newsdesk-session' : 'newsdesk-session', options: { httpOnly: true, sameSite: 'lax', secure, path: '/' } };
}

/** The editor of the request's cookie, or null. */
export async function sessionOf(request: FastifyRequest, db: Db, cookie: CookieSettings): Promise<EditorSession | null> {
  const token = request.cookies[cookie.name];
  if (!token || token.length > 100) return null;
  return (await findSession(db, token, SESSION_LIMITS)) ?? null;
}

const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

const xor = (a: Buffer, b: Buffer) => Buffer.from(a.map((byte, i) => byte ^ b[i]!));

/**
 * The session's CSRF token as one page carries it: XORed with a fresh random
 * pad, the pad in front (as Django and Rails do). The pages are compressed and
 * the review page repeats its search query: the same token in every response
 * would let someone who sees the sizes of encrypted responses, and can make an
 * editor's browser load pages, guess it a character at a time (BREACH). Masked
 * afresh, its bytes differ in every response.
 */
export function maskCsrfToken(token: string): string {
  const secret = Buffer.from(token, 'utf8');
  const pad = randomBytes(secret.length);
  return Buffer.concat([pad, xor(secret, pad)]).toString('base64url');
}

/** Whether the form's (masked) token is the session's, compared in constant time. */
export function csrfMatches(session: EditorSession, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const bytes = Buffer.from(sent, 'base64url');
  const half = bytes.length / 2;
  const unmasked = Number.isInteger(half) ? xor(bytes.subarray(half), bytes.subarray(0, half)) : Buffer.alloc(0);
  return timingSafeEqual(digest(unmasked), digest(Buffer.from(session.csrfToken, 'utf8')));
}

/**
 * Whether a browser's request comes from one of our own pages: the Origin a
 * browser sends with a POST names this host (or site.url's, behind a proxy
 * that rewrites Host). No Origin (a script, an old browser) passes: the other
 * checks still apply. Guards the login form, which has no session token yet.
 */
export function sameOrigin(request: FastifyRequest, config: Config): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host === request.headers.host || host === new URL(config.site.url).host;
}

/**
 * The gate every editor route passes (a preHandler, so the form body is read):
 * public routes pass; otherwise a GET without a session is sent to log in,
 * other methods get 401, and a POST must carry the session's CSRF token.
 */
export async function requireEditor(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.routeOptions.config.public) return;
  const session = request.editor;
  if (!session) {
    if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    return refuse(reply, 401, 'not logged in: log in at /login');
  }
  if (request.method === 'POST' && !csrfMatches(session, (request.body as Record<string, unknown> | undefined)?._csrf)) {
    return refuse(reply, 403, 'the form is out of date or came from elsewhere (no valid CSRF token): reload the page and try again');
  }
}

function refuse(reply: FastifyReply, code: number, message: string): FastifyReply {
  return reply.code(code).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(`${message}\n`);
}

/**
 * Whether a request to the queue dashboard comes from a logged-in editor. The
 * dashboard's own forms and API calls carry no CSRF token of ours, so a change
 * (any method but GET) must come with an Origin header naming this site:
 * browsers send one with every such request, from our page or another's.
 */
export function dashboardAccess(runtime: { db: Db; config: Config }): (request: FastifyRequest) => Promise<boolean> {
  const cookie = cookieSettings(runtime.config);
  return async (request) => {
    if (!(await sessionOf(request, runtime.db, cookie))) return false;
    return request.method === 'GET' || request.method === 'HEAD' || (request.headers.origin !== undefined && sameOrigin(request, runtime.config));
  };
}
