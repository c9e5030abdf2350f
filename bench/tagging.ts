/**
 * Tagging throughput: the tag stage (text preparation, the rule tagger and the
 * learned model, combined) over real posts: every post of the bundled sample
 * pages (50; five of them are on two pages, 45 Items), cycled to `count`
 * Stories per run. The model is trained first on those posts, labelled by the
 * rules, so every Topic has weights to apply. The taxonomy carries the
 * installed word vectors (read before the row's memory is watched, so the peak
 * includes them); their reading time is in the note.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { archivePageToItems } from '../src/ingest/archive/item.js';
import { parseArchivePage } from '../src/ingest/archive/parse.js';
import { trainModel } from '../src/tag/model.js';
import { tagStory } from '../src/tag/tag.js';
import { loadTaxonomy } from '../src/tag/taxonomy.js';
import { loadWordVectors, WORD_VECTORS_FILE } from '../src/tag/vectors.js';
import { tagDocument } from '../src/tag/words.js';
import { measureRuns, timed } from './measure.js';
import type { BenchPlan } from './plan.js';
import { measuredRow, type BenchRow } from './table.js';

export async function taggingRow(plan: BenchPlan): Promise<BenchRow> {
  const reading = await timed(() => loadWordVectors());
  const taxonomy = loadTaxonomy('samples/topics.yaml');
  const vectors = taxonomy.vectors
    ? `word vectors ${taxonomy.vectors.words.words.length.toLocaleString('en')} words, ${(statSync(WORD_VECTORS_FILE).size / 1e6).toFixed(1)} MB, read in ${Math.round(reading.seconds * 1000)} ms`
    : 'no word vectors (file missing: npm run vectors)';
  const archive = 'samples/archive';
  const members = readdirSync(archive).flatMap((name) =>
    archivePageToItems(parseArchivePage(readFileSync(path.join(archive, name), 'utf8'), { name }), 'archive', name).items.map((item) => ({
      title: item.title,
      text: item.contentText,
    })),
  );
  const slugs = taxonomy.topics.map((t) => t.slug);
  const labelled = members.map((member) => {
    const document = tagDocument([member]);
    const given = new Set(tagStory(document, taxonomy, null).topics.map((t) => t.slug));
    return { document, topics: new Map(slugs.map((slug) => [slug, given.has(slug)])) };
  });
  const model = trainModel(labelled, slugs);

  const tag = (n: number) => {
    for (let i = 0; i < n; i += 1) tagStory(tagDocument([members[i % members.length]!]), taxonomy, model);
  };
  const count = plan.tagStories;
  const measured = await measureRuns({
    runs: plan.runs,
    warmUp: () => tag(members.length),
    once: async () => count / (await timed(() => tag(count))).seconds,
  });
  return measuredRow(
    `tag Stories (rules + model${taxonomy.vectors ? ' + word vectors' : ''}, ${model.topics.length} Topics)`,
    `${count.toLocaleString('en')} Stories (the ${members.length} sample posts cycled), ${model.vocabulary.length}-term model`,
    'Stories/s',
    measured,
    vectors,
  );
}
