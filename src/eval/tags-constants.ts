/**
 * The rule tagger's constants chosen by folds grouped by site, for `eval
 * tags`: for each site in turn, the setting of the small grid below that does
 * best on the other sites' Stories (micro F1, then macro F1; ties kept at the
 * shipped value) tags that site's Stories. The held-out figure measures the
 * choosing itself, so it is what a new site can expect; the setting chosen on
 * every site is the one to ship, and the spread shows how firmly the folds
 * agree. Rules alone: the model's share is measured afterwards, per Topic,
 * against these rules (topic-weights.ts).
 */
import { scoreRules, DEFAULT_RULE_SETTINGS, type RuleSettings } from '../tag/rules.js';
import { CLOSE_TO_THRESHOLD, combine, pickTopics } from '../tag/tag.js';
import type { Taxonomy } from '../tag/taxonomy.js';
import { groupedFolds } from '../tag/topic-weights.js';
import type { LabelledStory } from './tags.js';
import { scoreTagging, type TaggingScore } from './tags-score.js';

export interface RuleConstants extends RuleSettings {
  closeToThreshold: number;
}

export const SHIPPED_CONSTANTS: RuleConstants = { ...DEFAULT_RULE_SETTINGS, closeToThreshold: CLOSE_TO_THRESHOLD };

/** The values tried. aboutSpan 0 is the discount off (the rules before it); closeToThreshold 1 is the fallback off. */
export const RULE_GRID: { [K in keyof RuleConstants]: number[] } = {
  aboutSpan: [0, 50, 100, 200, 400],
  halfScorePoints: [4, 6, 8],
  mainShare: [0.35, 0.5, 0.65],
  closeToThreshold: [0.5, 0.6, 0.7, 1],
};

export interface ConstantsReport {
  sites: number;
  shipped: RuleConstants;
  /** The setting that does best on every Story: equal to `shipped` when the shipped constants are the folds' choice. */
  chosenOnAll: RuleConstants;
  /** Each site tagged with the setting chosen on the other sites. */
  heldOut: TaggingScore;
  /** Every Story tagged with the shipped constants, and with the ones chosen on every site. */
  dev: TaggingScore;
  devChosen: TaggingScore;
  /** Per constant: the values the folds chose, with how many folds chose each. */
  spread: Record<keyof RuleConstants, Record<string, number>>;
}

function settingsOf(): RuleConstants[] {
  let all: RuleConstants[] = [{} as RuleConstants];
  for (const [name, values] of Object.entries(RULE_GRID) as [keyof RuleConstants, number[]][]) {
    all = all.flatMap((partial) => values.map((value) => ({ ...partial, [name]: value })));
  }
  return all;
}

const differs = (a: RuleConstants, b: RuleConstants) => (Object.keys(RULE_GRID) as (keyof RuleConstants)[]).filter((k) => a[k] !== b[k]).length;

function tagAll(stories: LabelledStory[], taxonomy: Taxonomy, setting: RuleConstants): string[][] {
  return stories.map((story) => {
    const rules = scoreRules(story.document, taxonomy, setting);
    const scores = taxonomy.topics.map((topic, t) => combine(rules[t]!, undefined, topic.threshold));
    return pickTopics(scores, new Map(), setting.closeToThreshold).map((s) => s.slug);
  });
}

export function chooseRuleConstants(stories: LabelledStory[], taxonomy: Taxonomy, shipped: RuleConstants = SHIPPED_CONSTANTS): ConstantsReport {
  const slugs = taxonomy.topics.map((t) => t.slug);
  const settings = settingsOf();
  const predicted = settings.map((setting) => tagAll(stories, taxonomy, setting));
  const score = (indices: number[], p: string[][]) =>
    scoreTagging(new Map(indices.map((i) => [stories[i]!.key, stories[i]!.topics])), new Map(indices.map((i) => [stories[i]!.key, p[i]!])), slugs);
  /** The best setting on these Stories: micro F1, then macro F1, then fewest constants moved from the shipped ones. */
  const choose = (indices: number[]): number => {
    let best = -1;
    let bestKey: number[] = [];
    settings.forEach((setting, s) => {
      const result = score(indices, predicted[s]!);
      const key = [result.microF1, result.macroF1, -differs(setting, shipped)];
      const first = key.findIndex((v, i) => v !== bestKey[i]);
      if (best < 0 || (first >= 0 && key[first]! > bestKey[first]!)) [best, bestKey] = [s, key];
    });
    return best;
  };
  const all = stories.map((_, i) => i);
  const fold = groupedFolds(stories.map((s) => s.site), stories.length);
  const folds = Math.max(-1, ...fold) + 1;
  const heldOut: string[][] = stories.map(() => []);
  const spread = Object.fromEntries(Object.keys(RULE_GRID).map((name) => [name, {}])) as ConstantsReport['spread'];
  for (let f = 0; f < folds; f += 1) {
    const chosen = settings[choose(all.filter((i) => fold[i] !== f))]!;
    for (const name of Object.keys(RULE_GRID) as (keyof RuleConstants)[]) spread[name][String(chosen[name])] = (spread[name][String(chosen[name])] ?? 0) + 1;
    all.filter((i) => fold[i] === f).forEach((i) => (heldOut[i] = predicted[settings.indexOf(chosen)]![i]!));
  }
  const onAll = choose(all);
  return {
    sites: folds,
    shipped,
    chosenOnAll: settings[onAll]!,
    devChosen: score(all, predicted[onAll]!),
    heldOut: score(all, heldOut),
    dev: score(all, tagAll(stories, taxonomy, shipped)),
    spread,
  };
}
