/**
 * The confirmation email of double opt-in: a new address gets one link that
 * confirms it (src/mail/links.ts, expires after CONFIRM_HOURS), rendered the
 * way the Edition is (src/digest/render.ts): MJML from templates/email/
 * confirm.eta through Eta (every value escaped), mjml in strict mode, the same
 * HTML checks, and a plain-text part from a text template over the same view.
 */
import { projectFile } from '../project-files.js';
import { Eta } from 'eta';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import { checkEmailHtml } from '../digest/render-checks.js';
import { wrapText } from '../digest/render-view.js';
import { errorMessage, NewsdeskError } from '../errors.js';
import { confirmLink, CONFIRM_HOURS, siteBase } from './links.js';
import { fromAddress } from './smtp.js';
import type { Subscriber } from './subscriber.js';

export interface ConfirmEmailView {
  lang: 'en';
  subject: string;
  preheader: string;
  site: { title: string; url: string };
  greeting: string;
  link: string;
  hours: number;
  organisation: string;
  address: string[];
}

export interface RenderedConfirmEmail {
  subject: string;
  html: string;
  text: string;
}

const views = projectFile('templates', 'email');
const htmlTemplates = new Eta({ views, cache: true });
const textTemplates = new Eta({ views, cache: true, autoEscape: false, autoTrim: false });

export function confirmEmailView(config: Pick<Config, 'site' | 'organisation'>, name: string | null, link: string): ConfirmEmailView {
  const title = config.site.title;
  return {
    lang: 'en',
    subject: `Confirm your subscription to ${title}`,
    preheader: `One click to start the weekly email of ${title}.`,
    site: { title, url: siteBase(config) },
    greeting: name ? `Hello ${name.replace(/\s+/g, ' ').trim()},` : 'Hello,',
    link,
    hours: CONFIRM_HOURS,
    organisation: config.organisation.name ?? title,
    address: config.organisation.postalAddress.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== ''),
  };
}

export async function renderConfirmEmail(view: ConfirmEmailView): Promise<RenderedConfirmEmail> {
  const mjml = htmlTemplates.render('./confirm', view);
  const { default: mjml2html } = await import('mjml'); // at the first render, as in src/digest/render.ts
  let html: string;
  try {
    ({ html } = await mjml2html(mjml, { validationLevel: 'strict', keepComments: false, fonts: {} }));
  } catch (error) {
    throw new NewsdeskError('render_invalid', `confirm email: the MJML is not valid: ${errorMessage(error)}`, { cause: error });
  }
  const problems = checkEmailHtml(html);
  if (problems.length > 0) throw new NewsdeskError('render_invalid', `confirm email: ${problems.join('; ')}`);
  const text = textTemplates.render('./confirm-text', { ...view, wrap: wrapText });
  return { subject: view.subject, html, text };
}

/**
 * Renders and sends one Subscriber's confirmation email through the transport
 * (smtpTransport); resolves when the SMTP server accepted it. The name was
 * checked for line breaks when it was stored, and nodemailer encodes it.
 */
export async function mailConfirmation(
  transport: Pick<Transporter, 'sendMail'>,
  config: Pick<Config, 'site' | 'organisation' | 'mail'>,
  secret: string,
  subscriber: Pick<Subscriber, 'id' | 'email' | 'name'>,
  now: Date = new Date(),
): Promise<void> {
  const email = await renderConfirmEmail(confirmEmailView(config, subscriber.name, confirmLink(config, secret, subscriber.id, now)));
  try {
    await transport.sendMail({
      from: fromAddress(config),
      to: subscriber.name ? { name: subscriber.name, address: subscriber.email } : subscriber.email,
      subject: email.subject,
      html: email.html,
      text: email.text,
      // Not a bulk message: no List-Unsubscribe (there is nothing to leave yet); auto-generated, so no auto-replies (RFC 3834).
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  } catch (error) {
    throw new NewsdeskError('smtp_failed', `confirm email: subscriber ${subscriber.id}: the SMTP server refused it: ${errorMessage(error)}`, { cause: error });
  }
}
