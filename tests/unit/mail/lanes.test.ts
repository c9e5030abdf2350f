import { describe, expect, it } from 'vitest';
import { runLanes } from '../../../src/mail/lanes.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('runLanes', () => {
  it('keeps at most `lanes` items in flight and takes an item handed back again after its wait', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    const tries = new Map<number, number>();
    await runLanes([1, 2, 3, 4, 5, 6], 3, async (item) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick();
      inFlight -= 1;
      tries.set(item, (tries.get(item) ?? 0) + 1);
      if (item === 2 && tries.get(item) === 1) return { againInMs: 20 };
      done.push(item);
    }, { stop: () => false });
    expect(most).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tries.get(2)).toBe(2);
  });

  it('stops taking items once stop() says so, and throws the first error after every lane stopped', async () => {
    const seen: number[] = [];
    let stopped = false;
    await runLanes([1, 2, 3, 4], 1, async (item) => {
      seen.push(item);
      if (item === 2) stopped = true;
    }, { stop: () => stopped });
    expect(seen).toEqual([1, 2]);

    const finished: number[] = [];
    await expect(
      runLanes([1, 2, 3, 4, 5], 2, async (item) => {
        await tick();
        if (item === 1) throw new Error('send: boom');
        finished.push(item);
      }, { stop: () => false }),
    ).rejects.toThrow('send: boom');
    expect(finished).toEqual([2]);
  });
});
