/**
 * The Subscribers pages: how many there are by status and by Topic, a search
 * by address (a page of matches at a time), one Subscriber's history, and the
 * CSV export (the format `newsdesk subscribers export` writes and `import`
 * reads back). No page shows more personal data than it needs: counts until an
 * editor searches, then only the matches' addresses; one Subscriber's page
 * shows their own; no tokens and no IP addresses anywhere, export included.
 */
import type { FastifyInstance } from 'fastify';
import { InputError, NewsdeskError } from '../../errors.js';
import { consentWithoutAddress, formatSubscriberCsv } from '../../mail/subscriber-csv.js';
import { subscriberHistory } from '../../store/subscriber-history.js';
import { countByTopic, countSubscribers, listSubscribers, listSuppressions, searchSubscribers } from '../../store/subscribers.js';
import { field } from './forms.js';
import type { EditorContext } from './pages.js';

/** Matches on one page of a search. */
export const SEARCH_PAGE = 25;
/** Shortest search: one character would list nearly everyone, which is what the export is for. */
export const MIN_SEARCH = 2;

function pageNumber(text: string): number {
  if (text === '') return 1;
  if (!/^[1-9]\d{0,5}$/.test(text)) throw new InputError('Subscribers: search', 'page', `"${text.slice(0, 20)}" is not a page number (1, 2, ...)`);
  return Number(text);
}

export function registerSubscriberListPages(scope: FastifyInstance, context: EditorContext): void {
  const { db, taxonomy, log } = context.runtime;

  scope.get('/subscribers', async (request, reply) => {
    const q = field(request.query, 'q').trim();
    const page = pageNumber(field(request.query, 'page').trim());
    const counts = await countSubscribers(db);
    // Every Topic of the taxonomy, in its order, those nobody chose at 0; then slugs Subscribers kept from an older taxonomy.
    const counted = await countByTopic(db);
    const count = (slug: string | null) => counted.find((row) => row.slug === slug) ?? { slug, confirmed: 0, pending: 0 };
    const topics = [
      ...taxonomy.topics.map((topic) => ({ ...count(topic.slug), label: topic.label })),
      ...counted.filter((row) => row.slug !== null && !taxonomy.topics.some((topic) => topic.slug === row.slug)).map((row) => ({ ...row, label: `${row.slug} (no longer a Topic)` })),
    ];
    const everything = count(null);

    let search = null;
    let problem = null;
    if (q.length > 0 && q.length < MIN_SEARCH) problem = `Subscribers: search: give at least ${MIN_SEARCH} characters of an address`;
    else if (q.length > 320) problem = 'Subscribers: search: longer than any address (320 characters)';
    else if (q.length > 0) {
      const found = await searchSubscribers(db, q, { limit: SEARCH_PAGE, offset: (page - 1) * SEARCH_PAGE });
      search = { ...found, page, pages: Math.max(1, Math.ceil(found.total / SEARCH_PAGE)), first: (page - 1) * SEARCH_PAGE + 1 };
    }
    const data = { title: 'Subscribers', nav: 'subscribers', counts, topics, everything, q, search, problem };
    return context.show(request, reply, 'subscribers', data, problem ? 400 : 200);
  });

  // Before /subscribers/:id: a static route wins over a parametric one.
  scope.get('/subscribers/export.csv', async (request, reply) => {
    const subscribers = (await listSubscribers(db)).map((subscriber) => ({ ...subscriber, consent: consentWithoutAddress(subscriber.consent) }));
    const suppressions = await listSuppressions(db);
    const csv = formatSubscriberCsv(subscribers, suppressions);
    // Who took the list, not what was in it: an export is personal data leaving the system.
    log.info({ editorId: request.editor!.editorId, subscribers: subscribers.length, suppressions: suppressions.length }, 'subscribers exported');
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .header('content-disposition', `attachment; filename="subscribers-${day}.csv"`)
      .header('cache-control', 'no-store')
      .type('text/csv; charset=utf-8')
      .send(csv);
  });

  scope.get('/subscribers/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const history = await subscriberHistory(db, id);
    if (!history) throw new NewsdeskError('not_found', `Subscribers: no Subscriber ${id.slice(0, 40)}`);
    const { subscriber, events } = history;
    const topicLabels = subscriber.topics.map((slug) => taxonomy.topics.find((topic) => topic.slug === slug)?.label ?? slug);
    const shown = events.map((event) => (event.kind === 'subscribed' ? { ...event, consent: consentWithoutAddress(event.consent) } : event));
    const person = { ...subscriber, consent: consentWithoutAddress(subscriber.consent) };
    return context.show(request, reply, 'subscribers-history', { title: subscriber.email, nav: 'subscribers', subscriber: person, topicLabels, events: shown });
  });
}
