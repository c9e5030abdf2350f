/**
 * A few messages in flight at once (one per pooled SMTP connection), pulled
 * from one list: whichever lane is free takes the next item that is due. An
 * item the work hands back with a wait (the server deferred it) goes back on
 * the list, due after that wait; the lanes sleep while nothing is due.
 * `stop()` is asked before each item: once it says yes, the lanes finish the
 * item they hold and take no more. A lane whose work throws stops every lane
 * the same way, and the first error is thrown once all have stopped.
 */
import { realClock, type Clock } from './rate.js';

export type LaneWork<T> = (item: T) => Promise<{ againInMs: number } | void>;

/** Longest a lane sleeps before asking `stop()` again while nothing is due. */
const IDLE_CHECK_MS = 250;

export async function runLanes<T>(items: readonly T[], lanes: number, work: LaneWork<T>, options: { stop: () => boolean; clock?: Clock }): Promise<void> {
  const clock = options.clock ?? realClock;
  const list = items.map((item) => ({ item, dueAt: 0 }));
  let failure: { error: unknown } | null = null;
  const halted = () => failure !== null || options.stop();

  const lane = async (): Promise<void> => {
    while (list.length > 0 && !halted()) {
      const now = clock.now();
      let next = 0;
      for (let i = 1; i < list.length; i += 1) if (list[i]!.dueAt < list[next]!.dueAt) next = i;
      const { item, dueAt } = list[next]!;
      if (dueAt > now) {
        await clock.sleep(Math.min(dueAt - now, IDLE_CHECK_MS));
        continue;
      }
      list.splice(next, 1);
      try {
        const again = await work(item);
        if (again) list.push({ item, dueAt: clock.now() + again.againInMs });
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}
