/**
 * Logging in and out. A login is limited to 5 tries per 15 minutes per client
 * address and per email, counted in the store (src/store/login-limits.ts), so
 * every `serve` process shares the counts: enough for typos, too few for
 * guessing. A try is counted before its password is checked, and a refused
 * try is never checked: parallel guesses cannot slip past the count, and
 * cannot make the server hash more than 5 passwords per window and key. A
 * successful login gives its try back, so only failures add up (as before):
 * editors behind one office address are not locked out by logging in; a
 * guesser gains nothing, as a success needs the password.
 * A wrong address and a wrong password get the same answer after the same
 * work, so the form tells nobody who the editors are. Each login starts a new
 * session (a token set before login is never promoted), and logging out
 * deletes it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import type { Counter } from 'prom-client';
import { createSession, deleteSession } from '../../store/editor-sessions.js';
import { editorForLogin } from '../../store/editors.js';
import { reserveLoginTry, returnLoginTry, type LoginLimit } from '../../store/login-limits.js';
import { field } from './forms.js';
import type { EditorContext } from './pages.js';
import { MAX_PASSWORD_LENGTH, verifyNobody, verifyPassword } from './password.js';
import { sameOrigin, SESSION_LIMITS } from './session.js';

const LOGIN_LIMIT: LoginLimit = { max: 5, windowMs: 15 * 60_000 };

/**
 * The login form, or the same fields as JSON (fastify parses JSON on every route): text only, and
 * bounded (an address is at most 320 characters, RFC 3696 errata), checked before anything is counted or hashed.
 */
const loginForm = z.object({
  email: z.string().max(320),
  password: z.string().max(MAX_PASSWORD_LENGTH),
  next: z.string().max(2000).optional(),
});

/** The form's fields, or an InputError (a 400) naming the first field that is missing or not text. */
function readLoginForm(body: unknown): z.infer<typeof loginForm> {
  const parsed = loginForm.safeParse(body);
  if (parsed.success) return parsed.data;
  const [first, ...others] = parsed.error.issues.map((issue) => ({ where: issue.path.join('.') || 'body', message: issue.message }));
  throw new InputError('login', first!.where, [first!.message, ...others.map((other) => `${other.where}: ${other.message}`)].join('; '));
}

/** Where to go after logging in: a path of this site only, never another host (`//evil`, `/\evil`). */
export function safeNext(next: string): string {
  return /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/editions';
}

export function registerLogin(scope: FastifyInstance, context: EditorContext, logins: Counter<'outcome'>): void {
  const { runtime, cookie } = context;

  // Over plain http a Secure cookie is dropped by the browser (except from localhost): say so instead of looping back here.
  const insecureWarning = (request: FastifyRequest) =>
    cookie.options.secure && request.protocol === 'http' && !/^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(request.headers.host ?? '')
      ? 'This page was reached over http, but the session cookie is Secure (site.url is https): use https, or set web.secureCookies: false.'
      : null;

  const loginPage = (request: FastifyRequest, reply: FastifyReply, data: { email?: string; error?: string }, code = 200) =>
    context.show(request, reply, 'login', { title: 'Log in', next: safeNext(field(request.query, 'next') || field(request.body, 'next')), warning: insecureWarning(request), ...data }, code);

  /** The editor whose password this is, or null; one scrypt hash either way, counted as `ok` or `wrong`. */
  async function check(email: string, password: string) {
    const editor = await editorForLogin(runtime.db, email);
    const ok = editor ? await verifyPassword(password, editor.passwordHash) : await verifyNobody(password);
    logins.inc({ outcome: editor && ok ? 'ok' : 'wrong' });
    return editor && ok ? editor : null;
  }

  scope.get('/login', { config: { public: true } }, async (request, reply) => {
    if (request.editor) return reply.redirect(safeNext(field(request.query, 'next')), 303);
    return loginPage(request, reply, {});
  });

  scope.post('/login', { config: { public: true } }, async (request, reply) => {
    if (!sameOrigin(request, runtime.config)) return reply.code(403).type('text/plain; charset=utf-8').send('login: the form came from another site\n');
    const { email, password } = readLoginForm(request.body);
    const keys = [`address:${request.ip}`, `email:${email.trim().toLowerCase()}`];
    const reservation = await reserveLoginTry(runtime.db, keys, LOGIN_LIMIT);
    if (!reservation.granted) {
      logins.inc({ outcome: 'limited' });
      reply.header('retry-after', String(reservation.retryAfterSeconds));
      return loginPage(request, reply, { email, error: `Too many failed logins: try again in ${Math.ceil(reservation.retryAfterSeconds / 60)} minute(s).` }, 429);
    }
    const editor = await check(email, password);
    if (!editor) return loginPage(request, reply, { email, error: 'Wrong email or password.' }, 401);
    await returnLoginTry(runtime.db, keys);
    const old = request.cookies[cookie.name];
    if (old) await deleteSession(runtime.db, old);
    const session = await createSession(runtime.db, editor.id, SESSION_LIMITS);
    reply.setCookie(cookie.name, session.token, { ...cookie.options, expires: session.expiresAt });
    runtime.log.info({ editor: editor.email }, 'editor logged in');
    return reply.redirect(safeNext(field(request.body, 'next')), 303);
  });

  scope.post('/logout', async (request, reply) => {
    await deleteSession(runtime.db, request.cookies[cookie.name]!);
    reply.clearCookie(cookie.name, cookie.options);
    return reply.redirect('/login', 303);
  });
}
