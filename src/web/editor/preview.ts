/**
 * The Edition as subscribers would get it: the rendered HTML for the review
 * page's preview frames, the whole message as an .eml file to open in a mail
 * client, and a test send to a few addresses the editor gives. All use
 * src/digest/render.ts with the generic links (Subscribers get signed ones).
 */
import type { FastifyInstance } from 'fastify';
import MailComposer from 'nodemailer/lib/mail-composer';
import { renderContext, renderEdition, type RenderedEmail } from '../../digest/render.js';
import { errorMessage, NewsdeskError } from '../../errors.js';
import { parseAddress } from '../../mail/address.js';
import { fromAddress, smtpTransport } from '../../mail/smtp.js';
import { recordEvent } from '../../store/editions.js';
import { field } from './forms.js';
import type { Edition } from '../../digest/edition.js';
import { findEdition } from './editions.js';
import type { EditorContext } from './pages.js';

/**
 * The preview's own headers: framed by our pages only (the review page shows it
 * at two widths), and sandboxed even when opened by itself. The email's HTML
 * carries inline styles and remote images, and no script may run.
 */
const PREVIEW_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; frame-ancestors 'self'; sandbox",
  'x-frame-options': 'SAMEORIGIN',
};

/** How many renders one server keeps (by Edition and version): the two frames and a download of one version render it once. */
const KEPT = 8;

function renderer(context: EditorContext): (edition: Edition) => Promise<RenderedEmail> {
  const rendered = new Map<string, Promise<RenderedEmail>>();
  return (edition) => {
    const key = `${edition.id}@${edition.updatedAt.toISOString()}`;
    let email = rendered.get(key);
    if (!email) {
      email = renderEdition(edition, renderContext(context.runtime.config));
      email.catch(() => rendered.delete(key));
      rendered.set(key, email);
      if (rendered.size > KEPT) rendered.delete(rendered.keys().next().value!);
    }
    return email;
  };
}

/** The message an .eml download holds. */
export async function composeEml(edition: Edition, email: RenderedEmail, context: EditorContext): Promise<Buffer> {
  const { config } = context.runtime;
  const message = new MailComposer({
    from: fromAddress(config),
    subject: email.subject,
    text: email.text,
    html: email.html,
    date: new Date(),
    headers: { 'X-Newsdesk-Edition': edition.id },
  });
  return message.compile().build();
}

/** A test goes to a few people, not to a list. */
const MAX_TEST_ADDRESSES = 5;

/** The addresses of a test send: separated by commas, semicolons or spaces; each checked (no header injection). */
export function testAddresses(text: string, editionId: string): string[] {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== '');
  if (parts.length === 0 || parts.length > MAX_TEST_ADDRESSES) {
    throw new NewsdeskError('usage', `edition ${editionId}: test send: give 1 to ${MAX_TEST_ADDRESSES} addresses`);
  }
  return [...new Set(parts.map((part, i) => parseAddress(part, `test send address ${i + 1}`)))];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function registerPreview(scope: FastifyInstance, context: EditorContext): void {
  const render = renderer(context);
  scope.get('/editions/:id/preview.html', async (request, reply) => {
    const edition = await findEdition(context, (request.params as { id: string }).id);
    reply.headers(PREVIEW_HEADERS).type('text/html; charset=utf-8');
    try {
      return reply.send((await render(edition)).html);
    } catch (error) {
      if (!(error instanceof NewsdeskError)) throw error;
      // Inside the frame, where the email would be: what stops it from rendering.
      return reply.code(422).send(`<!doctype html><meta charset="utf-8"><title>Cannot render</title><p style="font:16px sans-serif;color:#8a1c1c">${escapeHtml(errorMessage(error))}</p>`);
    }
  });

  // Through the configured SMTP server, marked as a test, recorded in the Edition's history; no Delivery is made.
  scope.post('/editions/:id/test-send', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, `/editions/${encodeURIComponent(id)}`, async () => {
      const edition = await findEdition(context, id);
      const to = testAddresses(field(request.body, 'addresses'), id);
      const email = await render(edition);
      const transport = smtpTransport(context.runtime.config.mail);
      try {
        for (const address of to) {
          await transport.sendMail({
            from: fromAddress(context.runtime.config),
            to: address,
            subject: `[Test] ${email.subject}`,
            html: email.html,
            text: email.text,
            headers: { 'X-Newsdesk-Edition': edition.id, 'X-Newsdesk-Test': 'yes' },
          });
        }
      } finally {
        transport.close();
      }
      await recordEvent(context.runtime.db, id, request.editor!.email, 'test-send', { to });
      return `Sent a test to ${to.join(', ')}.`;
    });
  });

  scope.get('/editions/:id/email.eml', async (request, reply) => {
    const edition = await findEdition(context, (request.params as { id: string }).id);
    const eml = await composeEml(edition, await render(edition), context);
    return reply
      .header('content-disposition', `attachment; filename="newsdesk-edition-${edition.id.replace(/[^A-Za-z0-9-]/g, '')}.eml"`)
      .type('message/rfc822')
      .send(eml);
  });
}
