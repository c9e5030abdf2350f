/**
 * The Stories pages: recent Stories, Stories found by words (as `newsdesk
 * stories search`), the Stories the tagger is least sure of (where an
 * editor's Topic label teaches most, as `newsdesk tags review`), and one
 * Story's provenance and every Topic's score against its threshold with who
 * decided it, with the editors' corrections `newsdesk stories` and `newsdesk
 * tags label` make: split Items out, merge with another Story or keep two
 * apart (the other found by words, or by its id), and label its Topics. The
 * same store functions do the work; a corrected Story is tagged again at
 * once, as the commands do. Searching and choosing are GETs, the changes
 * POSTs: all of it works without script.
 */
import type { FastifyInstance } from 'fastify';
import { describeReason } from '../../dedupe/describe.js';
import { describeExplanation } from '../../tag/describe.js';
import { parseLabelChanges } from '../../tag/labels.js';
import { NewsdeskError } from '../../errors.js';
import { dedupeSettings } from '../../dedupe/rules.js';
import { storyDetail } from '../../store/story-detail.js';
import { keepApart, mergeStories, resolveStory, splitStory, type EditorNote } from '../../store/story-edits.js';
import { listStories } from '../../store/stories.js';
import { searchStories, type FoundStory } from '../../store/story-search.js';
import { storyTopics } from '../../store/topics.js';
import { leastSureStories, topicsNow } from '../../tag/review.js';
import { labelAndTag, tagStories } from '../../tag/tag-stories.js';
import { topicDecision } from '../../tag/topic-decision.js';
import { field, fields } from './forms.js';
import type { EditorContext } from './pages.js';

const RECENT = 100;
/** Stories a search shows: enough to find one by a few words, few enough to read. */
const FOUND = 30;
/** Stories on the least-sure view: a session's labelling. */
const LEAST_SURE = 50;

export function registerStoryPages(scope: FastifyInstance, context: EditorContext): void {
  const { db, taxonomy, config } = context.runtime;
  const settings = dedupeSettings(config.dedupe);
  const topicLabel = (slug: string) => taxonomy.topics.find((t) => t.slug === slug)?.label ?? slug;
  const note = (request: { editor: { email: string } | null; body: unknown }): EditorNote => ({
    editor: request.editor!.email,
    note: field(request.body, 'note').trim() || null,
  });
  const otherStory = (body: unknown, where: string) => {
    const other = field(body, 'other').trim();
    if (other === '') throw new NewsdeskError('usage', `${where}: give the other Story's id`);
    return other;
  };
  // The editors' page of a Story; /stories/<id> is its public page (src/web/story-page.ts). Its changes POST to /stories/<id>/...
  const storyPath = (id: string) => `/stories/${encodeURIComponent(id)}/edit`;
  /** The Story chosen as the other one (`other`, an id), or why it cannot be. */
  const chosenStory = async (other: string, storyId: string): Promise<{ chosen: FoundStory | null; chosenProblem: string | null }> => {
    if (other === '') return { chosen: null, chosenProblem: null };
    const [named] = await searchStories(db, other, { limit: 1 });
    if (!named?.byId) return { chosen: null, chosenProblem: `No Story "${other}": search again and choose one of the results.` };
    if (named.id === storyId) return { chosen: null, chosenProblem: `Story ${other} is this Story${other === storyId ? '' : ' (merged into it)'}: choose another one.` };
    return { chosen: named, chosenProblem: null };
  };

  scope.get('/stories', async (request, reply) => {
    const search = field(request.query, 'q').trim();
    if (search !== '') {
      const found = await searchStories(db, search, { limit: FOUND });
      return context.show(request, reply, 'stories', { title: `Stories: ${search}`, nav: 'stories', view: 'search', search, found, limit: FOUND });
    }
    const listed = await listStories(db, { limit: RECENT });
    const carried = await storyTopics(db, listed.map((story) => story.id));
    // Each Topic a Story carries with its score against the threshold and who decided it, not only its name.
    const stories = listed.map((story) => ({
      ...story,
      topics: (carried.get(story.id) ?? []).map((topic) => ({
        label: topicLabel(topic.slug),
        score: topic.score,
        threshold: topic.explanation.threshold,
        decision: topicDecision(topic, true, topic.source === 'editor' ? true : undefined),
      })),
    }));
    return context.show(request, reply, 'stories', { title: 'Stories', nav: 'stories', view: 'recent', search, stories });
  });

  // A static route wins over the public page's parametric /stories/:id, and no Story id looks like this.
  scope.get('/stories/least-sure', async (request, reply) => {
    const stories = (await leastSureStories(db, taxonomy, LEAST_SURE)).map((story) => ({
      ...story,
      near: story.near.map((t) => ({ slug: t.slug, label: topicLabel(t.slug), score: t.score, threshold: t.explanation.threshold, given: t.given })),
    }));
    return context.show(request, reply, 'stories', { title: 'Stories, least sure first', nav: 'stories', view: 'least-sure', stories, taxonomy: taxonomy.topics.length > 0 });
  });

  scope.get('/stories/:id/edit', async (request, reply) => {
    const { id } = request.params as { id: string };
    const detail = await storyDetail(db, id, settings);
    // The other Story of a merge or a keep-apart: found by words or its id, then chosen from the results.
    const [search, otherId] = [field(request.query, 'q').trim(), field(request.query, 'other').trim()];
    if (detail.id !== id) {
      const query = new URLSearchParams(Object.entries({ q: search, other: otherId }).filter(([, value]) => value !== '')).toString();
      return reply.redirect(`${storyPath(detail.id)}${query ? `?${query}` : ''}`, 303);
    }
    const found = search === '' ? [] : await searchStories(db, search, { except: detail.id, limit: FOUND });
    const other = await chosenStory(otherId, detail.id);
    const { stored, scores, labels } = await topicsNow(db, taxonomy, detail.id);
    // Every Topic with its score now and why, given or not: what an editor needs to judge the tagger.
    const topics = scores.map((score) => {
      const carried = stored.find((t) => t.slug === score.slug);
      return {
        slug: score.slug,
        label: topicLabel(score.slug),
        score: score.score,
        threshold: score.explanation.threshold,
        given: carried !== undefined,
        decision: topicDecision(score, carried !== undefined, labels.get(score.slug)),
        // The rules' and model's why even where an editor's label decided: it is what the label corrects.
        why: describeExplanation(score.explanation),
        labelled: labels.has(score.slug),
      };
    });
    const members = detail.members.map((member) => ({ ...member, why: describeReason(member.reason) }));
    return context.show(request, reply, 'story', {
      title: members[0]?.title ?? `Story ${detail.id}`,
      nav: 'stories',
      detail,
      members,
      topics,
      search,
      found,
      ...other,
    });
  });

  scope.post('/stories/:id/split', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, storyPath(id), async () => {
      const items = fields(request.body, 'item');
      const { story, newStory } = await splitStory(db, id, items, note(request));
      await tagStories(db, taxonomy, [story, newStory]);
      return `Split ${items.length} Item(s) out into Story ${newStory}; later runs keep them apart.`;
    });
  });

  scope.post('/stories/:id/merge', async (request, reply) => {
    const { id } = request.params as { id: string };
    let into = id;
    return context.act(request, reply, () => storyPath(into), async () => {
      const merged = await mergeStories(db, [id, otherStory(request.body, 'stories merge')], note(request));
      into = merged.into;
      // The merged Story's text is all its members' now: its Topics may change.
      await tagStories(db, taxonomy, [into]);
      return `Merged ${merged.merged.join(', ')} into this Story; later runs keep them together.`;
    });
  });

  scope.post('/stories/:id/keep-apart', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, storyPath(id), async () => {
      const other = otherStory(request.body, 'stories keep-apart');
      const closed = await keepApart(db, id, other, note(request));
      return `Kept apart from ${other} (${closed} waiting pair(s) closed); later runs will not merge them.`;
    });
  });

  scope.post('/stories/:id/topics', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, `${storyPath(id)}#topics`, async () => {
      if (taxonomy.topics.length === 0) throw new NewsdeskError('usage', 'tags: no Topic taxonomy configured (set `topics:` in the config file)');
      const changes = parseLabelChanges([field(request.body, 'change')], taxonomy);
      const storyId = await resolveStory(db, id);
      await labelAndTag(db, taxonomy, storyId, changes, request.editor!.email);
      const [change] = changes;
      const what = change!.carries === null ? 'label removed' : change!.carries ? 'carries it' : 'does not carry it';
      return `Topic ${topicLabel(change!.slug)}: ${what}.`;
    });
  });
}
