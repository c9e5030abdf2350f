/**
 * `newsdesk tags ...`: a Story's Topics and why, the Stories whose labels
 * would teach the tagger most, editors' corrections (which take effect at once
 * and win over rules and model), and training the model from those corrections.
 */
import type { Config } from '../config.js';
import { NewsdeskError } from '../errors.js';
import type { Logger } from '../log.js';
import { withRuntime, type Runtime } from '../runtime.js';
import { resolveStory } from '../store/story-edits.js';
import { labelledStories, saveModel, storyTexts, storyTopics } from '../store/topics.js';
import { leastSureStories, topicsNow, type NearLineTopic } from '../tag/review.js';
import { describeExplanation } from '../tag/describe.js';
import { parseLabelChanges } from '../tag/labels.js';
import { labelAndTag, retagIfStale } from '../tag/tag-stories.js';
import type { Taxonomy } from '../tag/taxonomy.js';
import { trainTagger, type GroupedExample } from '../tag/topic-weights.js';
import { tagDocument } from '../tag/words.js';
import { hint } from './hint.js';
import { clip } from './stories.js';
import { formatTable } from './table.js';
import type { StoredTopic } from '../tag/tag.js';

/** The runtime of a tags command, which needs a taxonomy. */
function withTaxonomy<T>(config: Config, log: Logger, fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  return withRuntime(config, log, (runtime) => {
    if (runtime.taxonomy.topics.length === 0) throw new NewsdeskError('usage', 'tags: no Topic taxonomy configured (set `topics:` in the config file)');
    return fn(runtime);
  });
}

function formatTopics(storyId: string, topics: StoredTopic[], taxonomy: Taxonomy): string {
  const labels = new Map(taxonomy.topics.map((t) => [t.slug, t.label]));
  if (topics.length === 0) return `Story ${storyId}: no Topics`;
  const rows = topics.map((t) => [t.slug, labels.get(t.slug) ?? '(not in the taxonomy)', t.score.toFixed(2), t.source, describeExplanation(t.explanation)]);
  return `Story ${storyId}\n${formatTable(['Topic', 'label', 'score', 'by', 'why'], rows)}`;
}

export function labelCommand(config: Config, log: Logger, id: string, args: string[], editor: string): Promise<string> {
  return withTaxonomy(config, log, async ({ db, taxonomy }) => {
    const changes = parseLabelChanges(args, taxonomy);
    const storyId = await resolveStory(db, id);
    await labelAndTag(db, taxonomy, storyId, changes, editor);
    return formatTopics(storyId, (await storyTopics(db, [storyId])).get(storyId) ?? [], taxonomy);
  });
}

export function showTagsCommand(config: Config, log: Logger, id: string, options: { json: boolean }): Promise<string> {
  return withTaxonomy(config, log, async ({ db, taxonomy }) => {
    const storyId = await resolveStory(db, id);
    // Every Topic's score as the tagger sees the Story now, given or not: why a Topic is missing.
    const { stored, scores, labels } = await topicsNow(db, taxonomy, storyId);
    if (options.json) return JSON.stringify({ story: storyId, topics: stored, scores, labels: Object.fromEntries(labels) }, null, 2);
    const rows = scores.map((s) => [
      stored.some((t) => t.slug === s.slug) ? '*' : '',
      s.slug,
      s.score.toFixed(2),
      s.explanation.threshold.toFixed(2),
      labels.has(s.slug) ? (labels.get(s.slug) ? '+' : '-') : '',
      describeExplanation(s.explanation),
    ]);
    return `${formatTopics(storyId, stored, taxonomy)}\n\nEvery Topic now (* given, label: + or - by an editor):\n${formatTable(['', 'Topic', 'score', 'threshold', 'label', 'why'], rows)}`;
  });
}

/**
 * The label command for a Story's Topics near the line, signed as the Story is
 * tagged now: the editor flips what is wrong. `--` ends the options, so that no
 * `-slug` is read as one (`-china-repatriation` would be `-c hina-repatriation`).
 */
export function labelHint(configFile: string | undefined, storyId: string, near: NearLineTopic[]): string {
  return hint(configFile, `tags label ${storyId} -- ${near.map((t) => `${t.given ? '+' : '-'}${t.slug}`).join(' ')}`);
}

/** `tags review`: the Stories whose labels would teach the tagger most, each with its Topics near the line and the command to label it. */
export function reviewTagsCommand(config: Config, log: Logger, options: { limit: number; json: boolean }): Promise<string> {
  return withTaxonomy(config, log, async ({ db, taxonomy }) => {
    const stories = await leastSureStories(db, taxonomy, options.limit);
    const topic = (t: NearLineTopic) => ({
      slug: t.slug,
      score: t.score,
      threshold: t.explanation.threshold,
      given: t.given,
      source: t.source,
      why: describeExplanation(t.explanation),
      explanation: t.explanation,
    });
    if (options.json) {
      return JSON.stringify(
        stories.map((s) => ({ story: s.storyId, title: s.title, margin: s.margin, topics: s.near.map(topic), label: labelHint(config.file, s.storyId, s.near) })),
        null,
        2,
      );
    }
    if (stories.length === 0) return 'no unlabelled Story to review';
    const lines: string[] = [];
    for (const story of stories) {
      lines.push(`${story.storyId}  ${clip(story.title, 80)}  (margin ${story.margin.toFixed(3)})`);
      const rows = story.near.map((t) => [t.slug, t.score.toFixed(2), t.explanation.threshold.toFixed(2), t.given ? 'given' : 'not given', t.source, describeExplanation(t.explanation)]);
      lines.push(...formatTable(['Topic', 'score', 'threshold', 'now', 'by', 'why'], rows).split('\n').map((line) => `  ${line}`));
      lines.push(`  label: ${labelHint(config.file, story.storyId, story.near)}`);
      lines.push('');
    }
    lines.push(`${stories.length} Stories, least sure first (margin: how far the nearest Topic's score is from its threshold).`);
    lines.push("The label commands say what the Stories carry now: change a sign where that is wrong, and run them.");
    return lines.join('\n');
  });
}

export function trainCommand(config: Config, log: Logger, progress: (line: string) => void): Promise<string> {
  return withTaxonomy(config, log, async ({ db, taxonomy }) => {
    const slugs = taxonomy.topics.map((t) => t.slug);
    const labelled = await labelledStories(db);
    if (labelled.length === 0) throw new NewsdeskError('usage', 'tags train: no Story has an editor label yet (newsdesk tags label <story> +slug -slug)');
    const texts = await storyTexts(db, labelled.map((l) => l.storyId));
    // A labelled Story was read by an editor: its labels are the truth, and the Topics it carries that the editor let stand are too.
    // Grouped by Source: each Topic's model share is measured on Sources its training folds did not see.
    const examples: GroupedExample[] = labelled.flatMap((story) => {
      const members = texts.get(story.storyId);
      if (!members) return [];
      const topics = new Map(slugs.map((slug) => [slug, story.labels.get(slug) ?? story.topics.includes(slug)]));
      return [{ document: tagDocument(members), topics, group: story.source }];
    });
    const model = trainTagger(examples, taxonomy);
    const id = await saveModel(db, model);
    progress(`· model ${id} trained on ${model.examples} labelled Stories; tagging every Story again`);
    const retagged = await retagIfStale(db, taxonomy);
    const rows = slugs.map((slug) => {
      const topic = model.topics.find((t) => t.slug === slug);
      const share = !topic ? 'too few labels' : topic.share ? topic.share.toFixed(2) : '0 (no gain over the rules)';
      return [slug, topic ? String(topic.positives) : '-', topic ? String(topic.negatives) : '-', share];
    });
    return `${formatTable(['Topic', 'carry', 'do not', 'model share'], rows)}\nmodel ${id}: ${model.examples} labelled Stories, ${model.vocabulary.length} terms; ${retagged} Stories tagged again`;
  });
}
