/**
 * The Editions pages: the list, and one Edition's review page where editors
 * change the subject and intro, order (a whole section at once, as dragging
 * gives it, or one step up or down), remove, move, pin and summarise its
 * Stories, add recent ones, look at the rendered email, and approve or discard
 * it; sending is a step of its own (edition-send.ts). Each change goes through
 * editEdition or moveEdition (the store checks the Edition's state), recorded
 * with the editor's email.
 */
import type { FastifyInstance } from 'fastify';
import { OTHER_SECTION } from '../../digest/compose.js';
import { canMove, isEditable } from '../../digest/edition-status.js';
import { NewsdeskError } from '../../errors.js';
import { deliveryReport, sendingState, undelivered } from '../../store/deliveries.js';
import { editEdition, type EditionChange } from '../../store/edition-edits.js';
import { approveEdition, candidateStories, editionEvents, getEdition, listEditions, moveEdition, storyTopics } from '../../store/editions.js';
import type { Edition } from '../../digest/edition.js';
import { searchStories } from '../../store/story-search.js';
import { describeEvent } from './edition-history.js';
import { registerSendPages } from './edition-send.js';
import { field, fields } from './forms.js';
import { formatIn } from './views.js';
import type { EditorContext } from './pages.js';

type Section = { slug: string | null; label: string };

export async function findEdition(context: EditorContext, id: string): Promise<Edition> {
  const edition = await getEdition(context.runtime.db, id);
  if (!edition) throw new NewsdeskError('not_found', `edition ${id}: no such Edition`);
  return edition;
}

/** The sections a Story can be moved to: the taxonomy's Topics, any other section the Edition has, and the Topic-less one. */
function sectionChoices(context: EditorContext, edition: Edition): Section[] {
  const choices: Section[] = context.runtime.taxonomy.topics.map((topic) => ({ slug: topic.slug, label: topic.label }));
  for (const entry of edition.entries) {
    if (!choices.some((c) => c.slug === entry.section)) choices.push({ slug: entry.section, label: entry.sectionLabel });
  }
  if (!choices.some((c) => c.slug === null)) choices.push({ slug: null, label: OTHER_SECTION });
  return choices;
}

function chosenSection(choices: Section[], value: string, editionId: string): Section {
  const section = choices.find((c) => (c.slug ?? '') === value);
  if (!section) throw new NewsdeskError('usage', `edition ${editionId}: no section "${value}"`);
  return section;
}

export function registerEditionPages(scope: FastifyInstance, context: EditorContext): void {
  const { db } = context.runtime;
  const editorOf = (request: { editor: { email: string } | null }) => request.editor!.email;

  scope.get('/editions', async (request, reply) => {
    const editions = await listEditions(db);
    return context.show(request, reply, 'editions', { title: 'Editions', nav: 'editions', editions });
  });

  scope.get('/editions/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const edition = await findEdition(context, id);
    const search = field(request.query, 'q');
    const topics = await storyTopics(db, edition.entries.map((entry) => entry.storyId));
    const label = (slug: string) => context.runtime.taxonomy.topics.find((topic) => topic.slug === slug)?.label ?? slug;
    const entries = edition.entries.map((entry, i, all) => ({
      ...entry,
      topics: (topics.get(entry.storyId) ?? []).map(label),
      firstInSection: i === 0 || all[i - 1]!.section !== entry.section,
      lastInSection: i === all.length - 1 || all[i + 1]!.section !== entry.section,
      inSection: all.filter((other) => other.section === entry.section).length,
    }));
    const editable = isEditable(edition.status);
    const format = formatIn(context.runtime.config.schedule.compose.timezone);
    return context.show(request, reply, 'edition', {
      title: `Edition ${edition.id}`,
      nav: 'editions',
      edition,
      entries,
      editable,
      // The Story whose editing block to show open: the one just changed, when script is off.
      open: field(request.query, 'open'),
      canApprove: canMove(edition.status, 'approved'),
      canDiscard: canMove(edition.status, 'discarded'),
      sending: await sendingState(db, edition.id),
      sections: sectionChoices(context, edition),
      search,
      toAdd: editable ? await searchStories(db, search, { notInEdition: edition.id, limit: 15 }) : [],
      events: (await editionEvents(db, edition.id)).map((event) => ({ ...event, text: describeEvent(event, edition, format.time) })),
      // Sending or sent: how it went, and who did not get it with why.
      deliveries: await deliveryReport(db, edition.id),
      undelivered: await undelivered(db, edition.id),
    });
  });

  scope.post('/editions/:id/text', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, `/editions/${encodeURIComponent(id)}`, async () => {
      const edition = await findEdition(context, id);
      const subject = field(request.body, 'subject');
      const intro = field(request.body, 'intro').replace(/\r\n/g, '\n');
      const changes: EditionChange[] = [];
      if (subject !== edition.subject) changes.push({ kind: 'subject', subject });
      if (intro.trim() !== edition.intro) changes.push({ kind: 'intro', intro });
      for (const change of changes) await editEdition(db, id, editorOf(request), change);
      return changes.length === 0 ? 'Nothing changed.' : `Saved the ${changes.map((c) => c.kind).join(' and ')}.`;
    });
  });

  scope.post('/editions/:id/stories/:storyId', async (request, reply) => {
    const { id, storyId } = request.params as { id: string; storyId: string };
    const action = field(request.body, 'do');
    const back = `/editions/${encodeURIComponent(id)}${action === 'remove' ? '' : `?open=${encodeURIComponent(storyId)}#story-${storyId}`}`;
    return context.act(request, reply, back, async () => {
      const edition = await findEdition(context, id);
      const index = edition.entries.findIndex((entry) => entry.storyId === storyId);
      const entry = edition.entries[index];
      if (!entry) throw new NewsdeskError('usage', `edition ${id}: no Story ${storyId} in this Edition`);
      const editor = editorOf(request);
      if (action === 'up' || action === 'down') {
        const other = index + (action === 'up' ? -1 : 1);
        // Sections stay together (the store regroups them): a Story changes section with the section list instead.
        if (edition.entries[other]?.section !== entry.section) {
          throw new NewsdeskError('usage', `edition ${id}: "${entry.title}" is ${action === 'up' ? 'first' : 'last'} in its section; choose another section to move it there`);
        }
        const order = edition.entries.map((e) => e.storyId);
        [order[index], order[other]] = [order[other]!, order[index]!];
        await editEdition(db, id, editor, { kind: 'order', storyIds: order });
        return `Moved "${entry.title}" ${action}.`;
      }
      if (action === 'remove') {
        await editEdition(db, id, editor, { kind: 'remove', storyId });
        return `Removed "${entry.title}".`;
      }
      if (action !== 'save') throw new NewsdeskError('usage', `edition ${id}: unknown action "${action}"`);
      const changes: EditionChange[] = [];
      const summary = field(request.body, 'summary').replace(/\r\n/g, '\n');
      if (summary.trim() !== entry.summary) changes.push({ kind: 'summary', storyId, summary });
      const section = chosenSection(sectionChoices(context, edition), field(request.body, 'section'), id);
      if (section.slug !== entry.section) changes.push({ kind: 'move', storyId, section });
      const pinned = field(request.body, 'pinned') === 'on';
      if (pinned !== entry.pinned) changes.push({ kind: 'pin', storyId, pinned });
      for (const change of changes) await editEdition(db, id, editor, change);
      return changes.length === 0 ? 'Nothing changed.' : `Saved "${entry.title}": ${changes.map((c) => (c.kind === 'move' ? `section ${section.label}` : c.kind)).join(', ')}.`;
    });
  });

  // The whole order of one section, as dragging a Story (or Alt+arrow on its handle) leaves it.
  scope.post('/editions/:id/order', async (request, reply) => {
    const { id } = request.params as { id: string };
    const given = fields(request.body, 'story');
    return context.act(request, reply, `/editions/${encodeURIComponent(id)}`, async () => {
      const edition = await findEdition(context, id);
      const section = chosenSection(sectionChoices(context, edition), field(request.body, 'section'), id);
      const current = edition.entries.filter((entry) => entry.section === section.slug).map((entry) => entry.storyId);
      if (given.length !== current.length || new Set(given).size !== given.length || !given.every((storyId) => current.includes(storyId))) {
        throw new NewsdeskError('usage', `edition ${id}: order of ${section.label}: give each of its ${current.length} Stories once (the page may be out of date: reload it)`);
      }
      if (given.every((storyId, i) => storyId === current[i])) return 'Nothing changed.';
      const queue = [...given];
      const order = edition.entries.map((entry) => (entry.section === section.slug ? queue.shift()! : entry.storyId));
      await editEdition(db, id, editorOf(request), { kind: 'order', storyIds: order });
      return `Saved the order of ${section.label}.`;
    });
  });

  scope.post('/editions/:id/add', async (request, reply) => {
    const { id } = request.params as { id: string };
    const storyId = field(request.body, 'storyId');
    return context.act(request, reply, `/editions/${encodeURIComponent(id)}#story-${storyId}`, async () => {
      const [story] = await candidateStories(db, [storyId]);
      if (!story) throw new NewsdeskError('usage', `edition ${id}: no Story ${storyId} (merged or unknown)`);
      // Under its strongest Topic of the taxonomy, as compose would have placed it.
      const topic = story.topics.map((slug) => context.runtime.taxonomy.topics.find((t) => t.slug === slug)).find((t) => t !== undefined);
      const section = topic ? { slug: topic.slug, label: topic.label } : { slug: null, label: OTHER_SECTION };
      await editEdition(db, id, editorOf(request), { kind: 'add', storyId, section });
      return `Added "${story.title}" to ${section.label}.`;
    });
  });

  // Approve only: the Edition is ready. Sending is a step of its own, with a confirmation (edition-send.ts).
  scope.post('/editions/:id/approve', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, `/editions/${encodeURIComponent(id)}`, async () => {
      await approveEdition(db, id, editorOf(request), null);
      return `Approved: ready to send. Send it from here (a confirmation says who gets it), or with newsdesk edition send ${id}. Editing it returns it to draft.`;
    });
  });

  scope.post('/editions/:id/discard', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, `/editions/${encodeURIComponent(id)}`, async () => {
      await moveEdition(db, id, 'discarded', editorOf(request));
      return 'Discarded: the week can be composed again.';
    });
  });

  registerSendPages(scope, context);
}
