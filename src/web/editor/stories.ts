/**
 * The Stories pages: recent Stories, and one Story's provenance with the
 * editors' corrections `newsdesk stories` and `newsdesk tags label` make:
 * split Items out, merge with another Story, keep two apart, and label its
 * Topics. The same store functions do the work; a corrected Story is tagged
 * again at once, as the commands do.
 */
import type { FastifyInstance } from 'fastify';
import { describeReason } from '../../cli/stories.js';
import { describeExplanation, parseLabelChanges } from '../../cli/tags.js';
import { NewsdeskError } from '../../errors.js';
import { dedupeSettings } from '../../dedupe/rules.js';
import { storyDetail } from '../../store/story-detail.js';
import { keepApart, mergeStories, resolveStory, splitStory, type EditorNote } from '../../store/story-edits.js';
import { listStories } from '../../store/stories.js';
import { storyTopics, topicLabels } from '../../store/topics.js';
import { labelAndTag, tagStories } from '../../tag/tag-stories.js';
import { field, fields } from './forms.js';
import type { EditorContext } from './pages.js';

const RECENT = 100;

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
  const storyPath = (id: string) => `/stories/${encodeURIComponent(id)}`;

  scope.get('/stories', async (request, reply) => {
    const stories = (await listStories(db, { limit: RECENT })).map((story) => ({ ...story, topicLabels: story.topics.map(topicLabel) }));
    return context.show(request, reply, 'stories', { title: 'Stories', nav: 'stories', stories });
  });

  scope.get('/stories/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const detail = await storyDetail(db, id, settings);
    if (detail.id !== id) return reply.redirect(storyPath(detail.id), 303);
    const carried = (await storyTopics(db, [detail.id])).get(detail.id) ?? [];
    const labels = (await topicLabels(db, [detail.id])).get(detail.id) ?? new Map<string, boolean>();
    const topics = taxonomy.topics.map((topic) => {
      const stored = carried.find((t) => t.slug === topic.slug);
      return {
        slug: topic.slug,
        label: topic.label,
        score: stored?.score ?? null,
        why: stored ? describeExplanation(stored.explanation) : '',
        editorLabel: labels.has(topic.slug) ? (labels.get(topic.slug) ? 'carries' : 'does not') : null,
      };
    });
    const members = detail.members.map((member) => ({ ...member, why: describeReason(member.reason) }));
    return context.show(request, reply, 'story', { title: members[0]?.title ?? `Story ${detail.id}`, nav: 'stories', detail, members, topics });
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
