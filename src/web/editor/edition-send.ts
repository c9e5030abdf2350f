/**
 * Sending from the review page, with eyes open: approving only says the
 * Edition is ready; Send (now, or at a time in the editors' zone) first shows a
 * confirmation page (a GET, so it needs no script): how many Subscribers it
 * goes to by preference set, the subject each set gets, and when. Confirming
 * sets the send time (the due check starts it). A send scheduled or under way
 * can then be paused, resumed or cancelled until the last batch has gone.
 */
import type { FastifyInstance } from 'fastify';
import { editionForSections, sectionsFor } from '../../digest/personalise.js';
import { renderContext, renderEdition } from '../../digest/render.js';
import { editionSubject } from '../../digest/render-view.js';
import { errorMessage, NewsdeskError } from '../../errors.js';
import { cancelSending, pauseSending, resumeSendingLater } from '../../mail/sending.js';
import { audienceByTopics } from '../../store/deliveries.js';
import { scheduleSend } from '../../store/editions.js';
import type { Edition } from '../../digest/edition.js';
import { localTime } from '../../week.js';
import { findEdition } from './editions.js';
import { field } from './forms.js';
import type { EditorContext } from './pages.js';

/** A send time chosen this long ago still counts as now (the form took a moment); earlier is refused. */
const PAST_GRACE_MS = 60_000;

/** Preference sets listed one by one on the confirmation; the rest are summed in one line. */
const LISTED_SETS = 12;

export interface SendPlan {
  when: 'now' | 'at';
  /** As typed, in the editors' zone (`2026-12-07T08:00`); '' for now. */
  at: string;
  sendAt: Date;
}

/** The send time a form gives: `when` now, or `at` a local date and time in `zone`; refused when it is no time or has passed. */
export function sendPlan(body: unknown, editionId: string, zone: string, now = new Date()): SendPlan {
  const when = field(body, 'when');
  if (when === 'now') return { when, at: '', sendAt: now };
  if (when !== 'at') throw new NewsdeskError('usage', `edition ${editionId}: send: "when" must be now or at, not "${when}"`);
  const at = field(body, 'at');
  if (at === '') throw new NewsdeskError('usage', `edition ${editionId}: send at: give a date and time (${zone} time), or choose Send now`);
  const sendAt = localTime(at, zone);
  if (!sendAt) throw new NewsdeskError('usage', `edition ${editionId}: send at: "${at}" is not a date and time (${zone} time, e.g. 2026-12-07T08:00)`);
  if (sendAt.getTime() < now.getTime() - PAST_GRACE_MS) {
    throw new NewsdeskError('usage', `edition ${editionId}: send at: ${at} (${zone} time) has passed; choose a later time, or Send now`);
  }
  return { when: 'at', at, sendAt };
}

export interface AudienceGroup {
  /** Topic labels wanted; empty: all Topics. */
  topics: string[];
  subscribers: number;
  /** Stories of this Edition they get; 0: no email (their Deliveries are skipped). */
  stories: number;
  subject: string | null;
}

/** Who the Edition goes to if sent now, by preference set, with what each set gets. */
export async function audienceOf(context: EditorContext, edition: Edition) {
  const { db, config, taxonomy } = context.runtime;
  const label = (slug: string) => taxonomy.topics.find((topic) => topic.slug === slug)?.label ?? slug;
  const groups: AudienceGroup[] = (await audienceByTopics(db)).map(({ topics, subscribers }) => {
    const sections = sectionsFor(edition, topics);
    const personal = editionForSections(edition, sections);
    return { topics: topics.map(label), subscribers, stories: personal.entries.length, subject: sections.length > 0 ? editionSubject(personal, config.site.title) : null };
  });
  const sum = (list: AudienceGroup[]) => list.reduce((n, group) => n + group.subscribers, 0);
  const rest = groups.slice(LISTED_SETS);
  return {
    total: sum(groups),
    allTopics: sum(groups.filter((group) => group.topics.length === 0)),
    chosenTopics: sum(groups.filter((group) => group.topics.length > 0)),
    /** In the count, but their Topics leave no Story of this Edition: they get no email. */
    nothing: sum(groups.filter((group) => group.stories === 0)),
    groups: groups.slice(0, LISTED_SETS),
    more: { sets: rest.length, subscribers: sum(rest) },
  };
}

/**
 * Sent now to nobody, the Edition would still count as sent and its week be
 * gone: refused. (A send at a later time may find Subscribers by then.)
 */
const nobody = (id: string) =>
  `edition ${id}: there is no confirmed Subscriber yet, so nobody would get it now; send a test, or choose a time once people have subscribed`;

export function registerSendPages(scope: FastifyInstance, context: EditorContext): void {
  const { db, config } = context.runtime;
  const zone = config.schedule.compose.timezone;
  const pageOf = (id: string) => `/editions/${encodeURIComponent(id)}`;
  const editorOf = (request: { editor: { email: string } | null }) => request.editor!.email;

  scope.get('/editions/:id/send', async (request, reply) => {
    const { id } = request.params as { id: string };
    const edition = await findEdition(context, id);
    if (edition.status !== 'approved') {
      throw new NewsdeskError('usage', `edition ${id}: is ${edition.status}; only an approved Edition can be sent${edition.status === 'draft' ? ' (approve it first)' : ''}`);
    }
    const plan = sendPlan(request.query, id, zone);
    let subject: string | null = null;
    let problem: string | null = null;
    try {
      // Rendered once, as sending will: an Edition that cannot go out says so here, not in a worker's log.
      subject = (await renderEdition(edition, renderContext(config))).subject;
    } catch (error) {
      if (!(error instanceof NewsdeskError)) throw error;
      problem = errorMessage(error);
    }
    const audience = await audienceOf(context, edition);
    if (problem === null && plan.when === 'now' && audience.total === 0) problem = nobody(id);
    return context.show(request, reply, 'edition-send', {
      title: `Send Edition ${edition.id}?`,
      nav: 'editions',
      edition,
      plan,
      subject,
      problem,
      smtp: Boolean(config.mail.smtpUrl),
      audience,
    });
  });

  scope.post('/editions/:id/send', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, pageOf(id), async () => {
      const plan = sendPlan(request.body, id, zone);
      const version = new Date(Number(field(request.body, 'version')));
      if (Number.isNaN(version.getTime())) throw new NewsdeskError('usage', `edition ${id}: send: the confirmation's version is missing; open Send again`);
      if (plan.when === 'now' && (await audienceByTopics(db)).every((set) => set.subscribers === 0)) throw new NewsdeskError('usage', nobody(id));
      await scheduleSend(db, id, editorOf(request), plan.sendAt, { version });
      const when = plan.when === 'now' ? 'now: it goes out within a minute' : `for ${plan.at} (${zone} time): it goes out then`;
      return `Sending ${when} when the workers run (or at the next newsdesk run). Until the last batch has gone it can be paused or cancelled here.`;
    });
  });

  scope.post('/editions/:id/pause', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, pageOf(id), async () => {
      const paused = await pauseSending(db, id, editorOf(request));
      if (paused.alreadyPaused) return 'Sending was paused already.';
      return `Paused: no further message starts (the ones already with the SMTP server finish). ${paused.unfinishedBatches} batches wait for Resume.`;
    });
  });

  scope.post('/editions/:id/resume', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, pageOf(id), async () => {
      const resumed = await resumeSendingLater(db, id, editorOf(request));
      return `Resumed: the ${resumed.unfinishedBatches} batches left go on within a minute when the workers run (or at the next newsdesk run).`;
    });
  });

  scope.post('/editions/:id/cancel', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, pageOf(id), async () => {
      const cancelled = await cancelSending(db, id, editorOf(request));
      if (cancelled.was === 'scheduled') return 'The send is cancelled: the Edition stays approved and goes out only when someone sends it again.';
      return `Sending cancelled: ${cancelled.cancelled} Deliveries will not be made. Those already sent stay sent, so the Edition counts as sent.`;
    });
  });
}
