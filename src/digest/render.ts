/**
 * Render: an Edition becomes the email subscribers get.
 *
 *   Edition + context (site, sender, links) -> the view (src/digest/render-view.ts)
 *   -> MJML from templates/email/*.eta (Eta escapes every value by default)
 *   -> HTML (mjml, strict validation) and, from a text template over the same
 *      view, the plain-text part -> checked (src/digest/render-checks.ts)
 *
 * Pure apart from reading the template files: the caller chooses the links
 * (generic ones for previews and the web page, signed ones per Subscriber
 * when sending).
 */
import { projectFile } from '../project-files.js';
import { Eta } from 'eta';
import type { Config } from '../config.js';
import { errorMessage, RenderError } from '../errors.js';
import type { Edition } from '../digest/edition.js';
import { checkEmailHtml } from './render-checks.js';
import { editionView, wrapText } from './render-view.js';

export interface RenderContext {
  site: { title: string; url: string };
  /** The sender named in the footer, with the postal address anti-spam laws ask for. */
  organisation: { name: string; postalAddress: string };
  links: { unsubscribe: string; preferences: string; webVersion?: string };
  /** The editors' zone (schedule.compose.timezone), in which the email says which days it covers. Default: UTC. */
  timezone?: string;
}

export interface RenderedEmail {
  subject: string;
  /** The hidden preview text inboxes show after the subject. */
  preheader: string;
  html: string;
  text: string;
}

const views = projectFile('templates', 'email');
// One engine per output: HTML escapes every `<%= %>` (a Story's `<script>` or `&`
// stays text in MJML and in the HTML); plain text must not get `&amp;`.
const htmlTemplates = new Eta({ views, cache: true });
const textTemplates = new Eta({ views, cache: true, autoEscape: false, autoTrim: false });

/** The context from the configuration: generic links unless given (the sending issue passes signed ones per Subscriber). */
export function renderContext(config: Config, links: Partial<RenderContext['links']> = {}): RenderContext {
  const url = config.site.url.replace(/\/+$/, '');
  const given = Object.fromEntries(Object.entries(links).filter(([, value]) => value !== undefined));
  return {
    site: { title: config.site.title, url },
    organisation: { name: config.organisation.name ?? config.site.title, postalAddress: config.organisation.postalAddress },
    links: { unsubscribe: `${url}/unsubscribe`, preferences: `${url}/preferences`, ...given },
    timezone: config.schedule.compose.timezone,
  };
}

export async function renderEdition(edition: Edition, context: RenderContext): Promise<RenderedEmail> {
  if (edition.status === 'skipped') {
    throw new RenderError(edition.id, [`the week was skipped (${edition.skippedReason ?? 'no reason kept'}): there is nothing to render`]);
  }
  if (edition.entries.length === 0) throw new RenderError(edition.id, ['it has no Stories: there is nothing to render']);
  if (context.organisation.postalAddress.trim() === '') {
    throw new RenderError(edition.id, [
      'no postal address for the footer (anti-spam laws ask for one): set organisation.postalAddress in the config file',
    ]);
  }

  const view = editionView(edition, context);
  const mjml = htmlTemplates.render('./edition', view);
  // mjml (with juice, cheerio and undici) is loaded at the first render, not with this module: most commands render no email.
  const { default: mjml2html } = await import('mjml');
  let html: string;
  try {
    // Strict: an MJML mistake in a template stops here instead of reaching inboxes half-rendered.
    // No comments: they only add bytes towards Gmail's clipping. No web fonts: the
    // system's own (no request to a font host when the email is opened).
    ({ html } = await mjml2html(mjml, { validationLevel: 'strict', keepComments: false, fonts: {} }));
  } catch (error) {
    throw new RenderError(edition.id, [`the MJML is not valid: ${errorMessage(error)}`], { cause: error });
  }
  const problems = checkEmailHtml(html);
  if (problems.length > 0) throw new RenderError(edition.id, problems);

  const text = textTemplates.render('./edition-text', { ...view, wrap: wrapText });
  return { subject: view.subject, preheader: view.preheader, html, text };
}
