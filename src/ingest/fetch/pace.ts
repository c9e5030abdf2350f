/**
 * How often to read a feed Source, from how often it posts. Like Miniflux's
 * entry-frequency scheduler: a Source that posted n Items in the last week is
 * read about every week / n. The configured interval is the fastest we ever
 * read (politeness: editors set it); a quiet Source slows down to `maxIdleMinutes`,
 * so a weekly blog is not asked 168 times for one post.
 */

export const PACE_WINDOW_DAYS = 7;

export interface PaceSettings {
  /** The Source's configured interval: never read more often than this. */
  everyMinutes: number;
  /** The slowest a quiet Source is read. */
  maxIdleMinutes: number;
}

/** Minutes between reads for a Source that posted `postsInWindow` Items in the last PACE_WINDOW_DAYS days. */
export function pacedMinutes(postsInWindow: number, settings: PaceSettings): number {
  const slowest = Math.max(settings.everyMinutes, settings.maxIdleMinutes);
  if (postsInWindow <= 0) return slowest;
  const perPost = (PACE_WINDOW_DAYS * 24 * 60) / postsInWindow;
  return Math.round(Math.min(slowest, Math.max(settings.everyMinutes, perPost)));
}
