/**
 * `newsdesk stories ...`: what the store holds, Stories found by words, and
 * editors' corrections of dedupe (merge, split, keep apart, the pairs
 * waiting for a decision).
 */
import type { Config } from '../config.js';
import { describeDiscounted, describeReason } from '../dedupe/describe.js';
import { makePrint } from '../dedupe/print.js';
import { isoDate } from '../dedupe/story-date.js';
import { dedupeSettings } from '../dedupe/rules.js';
import { NewsdeskError } from '../errors.js';
import type { Logger } from '../log.js';
import { withRuntime } from '../runtime.js';
import { pendingReviews } from '../store/dedupe-decisions.js';
import { storyDetail, type StoryDetail } from '../store/story-detail.js';
import { keepApart, mergeStories, splitStory, type EditorNote } from '../store/story-edits.js';
import { replacePrint } from '../store/dedupe-prints.js';
import { itemsInStories, listStories, lockDedupe } from '../store/stories.js';
import { searchStories, searchText, type FoundStory } from '../store/story-search.js';
import { tagStories } from '../tag/tag-stories.js';
import { hint } from './hint.js';
import { formatTable } from './table.js';

/** Text cut to `length` characters with an ellipsis, for one line of a terminal. */
export const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

export function listStoriesCommand(config: Config, log: Logger, options: { limit: number; json: boolean }): Promise<string> {
  return withRuntime(config, log, async ({ db }) => {
    const stories = await listStories(db, { limit: options.limit });
    if (options.json) return JSON.stringify(stories, null, 2);
    const rows = stories.map((story) => [
      story.id,
      isoDate(story.published) ?? '-',
      String(story.items),
      story.outlets.join(', ') || '-',
      clip(story.topics.join(', '), 40) || '-',
      clip(story.title, 60),
    ]);
    return `${formatTable(['Story', 'date', 'Items', 'Outlet', 'Topics', 'title'], rows)}\n${stories.length} Stories`;
  });
}

/** Stories found by a search, best first: a line each, and the passage with the matched words in «». */
export function formatFoundStories(found: FoundStory[], words: string): string {
  if (found.length === 0) return `no Story has the words "${words}"`;
  const lines: string[] = [];
  for (const story of found) {
    const how = story.byId ? 'by its id' : `rank ${story.rank!.toFixed(3)}`;
    lines.push(`${story.id}  ${isoDate(story.published) ?? '-'}  ${story.outlets.join(', ') || '-'}  ${story.items} Item(s)  ${how}`, `  ${clip(story.title, 100)}`);
    const passage = story.snippet.map((part) => (part.match ? `«${part.text}»` : part.text)).join('').replace(/\s+/g, ' ').trim();
    if (passage) lines.push(`  ${clip(passage, 200)}`);
  }
  lines.push('', `${found.length} ${found.length === 1 ? 'Story' : 'Stories'}, best first`);
  return lines.join('\n');
}

export function searchStoriesCommand(config: Config, log: Logger, words: string[], options: { limit: number; json: boolean }): Promise<string> {
  const text = words.join(' ');
  if (searchText(text) === '') throw new NewsdeskError('usage', 'stories search: give some words (or a Story id) to search for');
  return withRuntime(config, log, async ({ db }) => {
    const found = await searchStories(db, text, { limit: options.limit });
    return options.json ? JSON.stringify(found, null, 2) : formatFoundStories(found, searchText(text));
  });
}

/** `configFile` is named again in the command it suggests. */
export function formatStoryDetail(detail: StoryDetail, configFile?: string): string {
  const lines = [
    detail.askedFor === detail.id ? `Story ${detail.id}` : `Story ${detail.askedFor} was merged into ${detail.id}`,
    `published ${isoDate(detail.published) ?? 'unknown'} (the earliest of its Items' dates), first seen ${detail.createdAt.toISOString()}, updated ${detail.updatedAt.toISOString()}, ${detail.members.length} Items`,
    '',
  ];
  for (const member of detail.members) {
    lines.push(`${member.representative ? '*' : ' '} ${member.role.padEnd(10)} ${member.itemId}  ${clip(member.title, 80)}`);
    lines.push(
      `      Source ${member.sourceId}${member.outlets.length ? `, Outlet ${member.outlets.join(', ')}` : ''}, dated ${isoDate(member.published) ?? 'unknown'}${member.url ? `, ${member.url}` : ''}`,
    );
    lines.push(`      joined: ${describeReason(member.reason)}`);
    for (const note of member.furniture) lines.push(`      furniture: ${note}, left out whenever it is compared`);
    for (const appearance of member.appearances) {
      lines.push(`      seen: ${appearance.location}${appearance.position ? ` #${appearance.position}` : ''}`);
    }
  }
  if (detail.merges.length > 0) {
    lines.push('', 'merged into this Story:');
    for (const merge of detail.merges) {
      lines.push(`  ${merge.from} ${merge.editor ? `by editor ${merge.editor}` : `by Item ${merge.byItem}`} at ${merge.mergedAt.toISOString()}`);
    }
  }
  if (detail.series.length > 0) {
    lines.push('', 'same series:');
    for (const part of detail.series) lines.push(`  ${part.storyId}  ${clip(part.title, 80)}`);
  }
  if (detail.templates.length > 0) {
    lines.push('', 'kept apart, same template with different facts:');
    for (const other of detail.templates) lines.push(`  ${other.storyId}  ${clip(other.title, 80)}`, `      ${other.facts.join(', ')}`);
  }
  if (detail.pendingReviews > 0) lines.push('', `${detail.pendingReviews} pair(s) waiting for an editor: ${hint(configFile, 'stories review')}`);
  lines.push('', '* the representative Item, shown in the Feeds');
  return lines.join('\n');
}

export function showStoryCommand(config: Config, log: Logger, id: string, options: { json: boolean }): Promise<string> {
  return withRuntime(config, log, async ({ db }) => {
    const detail = await storyDetail(db, id, dedupeSettings(config.dedupe));
    return options.json ? JSON.stringify(detail, null, 2) : formatStoryDetail(detail, config.file);
  });
}

export function mergeStoriesCommand(config: Config, log: Logger, ids: string[], by: EditorNote): Promise<string> {
  return withRuntime(config, log, async ({ db, taxonomy }) => {
    const { into, merged } = await mergeStories(db, ids, by);
    // The merged Story's text is all its members' now: its Topics may change.
    await tagStories(db, taxonomy, [into]);
    return `merged ${merged.join(', ')} into ${into}; later runs keep them together`;
  });
}

export function splitStoryCommand(config: Config, log: Logger, storyId: string, itemIds: string[], by: EditorNote): Promise<string> {
  return withRuntime(config, log, async ({ db, taxonomy }) => {
    const { story, newStory } = await splitStory(db, storyId, itemIds, by);
    await tagStories(db, taxonomy, [story, newStory]);
    return `split ${itemIds.length} Item(s) out of ${story} into ${newStory}; later runs keep them apart`;
  });
}

export function keepApartCommand(config: Config, log: Logger, a: string, b: string, by: EditorNote): Promise<string> {
  return withRuntime(config, log, async ({ db }) => {
    const closed = await keepApart(db, a, b, by);
    return `kept ${a} and ${b} apart (${closed} pending pair(s) closed); later runs will not merge them`;
  });
}

/**
 * Rebuilds every stored Item's print from its text (after an upgrade that
 * prepares text differently, or for a store from before the dedupe index).
 * Story memberships stay as they are.
 */
export function reindexCommand(config: Config, log: Logger, progress: (line: string) => void): Promise<string> {
  return withRuntime(config, log, async ({ db }) => {
    const settings = dedupeSettings(config.dedupe);
    let after = '';
    let done = 0;
    for (;;) {
      const items = await itemsInStories(db, after, 500);
      if (items.length === 0) break;
      await db.transaction(async (tx) => {
        await lockDedupe(tx);
        for (const item of items) await replacePrint(tx, makePrint(item, settings));
      });
      done += items.length;
      after = items[items.length - 1]!.id;
      progress(`reindexed ${done} Items`);
    }
    return `${done} Items reindexed`;
  });
}

export function reviewCommand(config: Config, log: Logger, options: { limit: number; json: boolean }): Promise<string> {
  return withRuntime(config, log, async ({ db }) => {
    const pending = await pendingReviews(db, options.limit);
    if (options.json) return JSON.stringify(pending, null, 2);
    if (pending.length === 0) return 'no pairs waiting for an editor';
    const lines: string[] = [];
    for (const pair of pending) {
      const score = pair.scores ? `containment ${pair.scores.narrativeContainment}, ${pair.scores.passageWords}-word passage` : '';
      lines.push(`${pair.kind}: ${score}`);
      if (pair.scores?.facts?.length) lines.push(`  same template, different facts: ${pair.scores.facts.join(', ')}`);
      lines.push(`  ${pair.storyId}  ${clip(pair.title, 80)}`);
      lines.push(`  ${pair.otherStoryId}  ${clip(pair.otherTitle, 80)}`);
      if (pair.passage) lines.push(`  shared: “${pair.passage}”`);
      if (pair.scores?.discounted?.length) lines.push(describeDiscounted(pair.scores.discounted, '  ').slice(1));
      const pairIds = `${pair.storyId} ${pair.otherStoryId}`;
      lines.push(`  decide: ${hint(config.file, `stories merge ${pairIds}`)}   or   ${hint(config.file, `stories keep-apart ${pairIds}`)}`);
      lines.push('');
    }
    lines.push(`${pending.length} pair(s) waiting`);
    return lines.join('\n');
  });
}
