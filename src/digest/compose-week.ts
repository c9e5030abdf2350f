/**
 * Composing a week (the compose job's service, workers/compose.ts; `newsdesk
 * edition compose` calls it too): the week's Stories become the Edition draft
 * editors review.
 *
 *   week (given, or the one whose compose moment has just passed) -> its window
 *   -> Stories first seen in the window, not sent in an earlier Edition
 *   -> compose (rank, limit, sections, summaries) -> draft, or skipped when thin
 *   -> stored: a new Edition, an untouched draft refreshed, an edited one kept
 */
import { composeEdition, DEFAULT_COMPOSE, type ComposeSettings } from './compose.js';
import type { Config } from '../config.js';
import { NewsdeskError } from '../errors.js';
import type { JobDeps, JobPayloads } from '../queue/jobs.js';
import type { ComposeResult } from '../queue/results.js';
import { editionCandidates, saveComposedEdition } from '../store/editions.js';
import { editionWindow, parseIsoWeek, weekDueAt } from '../week.js';

/** The compose stage's settings from the config's `digest` section. */
function composeSettings(config: Pick<Config, 'digest'>): ComposeSettings {
  const { maxStories, maxPerSection, minStories, summaryChars } = config.digest;
  return { maxStories, maxPerSection, minStories, summary: { ...DEFAULT_COMPOSE.summary, maxChars: summaryChars } };
}

export async function composeWeek({ week: asked }: JobPayloads['compose'], deps: JobDeps): Promise<ComposeResult> {
  const schedule = deps.config.schedule.compose;
  if (asked !== undefined) {
    try {
      parseIsoWeek(asked);
    } catch (error) {
      throw new NewsdeskError('usage', `compose: ${(error as Error).message}`, { permanent: true, cause: error });
    }
  }
  const week = asked ?? weekDueAt(deps.now(), schedule);
  const log = deps.log.child({ job: 'compose', week });

  const window = editionWindow(week, schedule);
  const candidates = await editionCandidates(deps.db, window);
  const composed = composeEdition(
    { window, candidates, topics: deps.taxonomy.topics.map(({ slug, label }) => ({ slug, label })), siteTitle: deps.config.site.title, timezone: schedule.timezone },
    composeSettings(deps.config),
  );
  const { id, outcome, status: editionStatus } = await saveComposedEdition(deps.db, composed);

  const stories = composed.status === 'draft' ? composed.sections.reduce((n, section) => n + section.entries.length, 0) : 0;
  const result: ComposeResult = { editionId: id, week, status: composed.status, outcome, editionStatus, stories, candidates: candidates.length };
  if (composed.status === 'skipped') result.reason = composed.reason;
  log.info(result, 'composed');
  return result;
}
