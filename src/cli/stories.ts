/** `newsdesk stories list`: what the store holds, newest first. */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { storyDate } from '../publish/entries.js';
import { openRuntime } from '../runtime.js';
import { listStories } from '../store/stories.js';
import { formatTable } from './table.js';

export async function listStoriesCommand(
  config: Config,
  log: Logger,
  options: { limit: number; json: boolean },
): Promise<string> {
  const runtime = await openRuntime(config, log);
  try {
    const stories = await listStories(runtime.db, { limit: options.limit });
    if (options.json) return JSON.stringify(stories, null, 2);
    const rows = stories.map((story) => [
      story.id,
      storyDate(story).toISOString().slice(0, 10),
      story.outlets.join(', ') || '-',
      story.title.length > 70 ? `${story.title.slice(0, 69)}…` : story.title,
    ]);
    return `${formatTable(['Story', 'date', 'Outlet', 'title'], rows)}\n${stories.length} Stories`;
  } finally {
    await runtime.close();
  }
}
