/** The bench's CPU clock (bench/cpu.ts): this process's CPU and that of other processes, read from /proc. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startCpuClock } from '../../bench/cpu.js';

/** Spins until it has used `seconds` of CPU (not of wall time: the machine may be busy), then waits to be killed. */
const SPIN = (seconds: number) =>
  `const t = process.cpuUsage(); while ((process.cpuUsage(t).user + process.cpuUsage(t).system) / 1e6 < ${seconds}); process.stdout.write('done'); setInterval(() => {}, 1000);`;

function spinInHere(seconds: number): void {
  const t = process.cpuUsage();
  while ((process.cpuUsage(t).user + process.cpuUsage(t).system) / 1e6 < seconds);
}

describe.runIf(process.platform === 'linux')('startCpuClock', () => {
  it("counts this process's CPU and, apart, the CPU of the processes it is given", async () => {
    const child = spawn(process.execPath, ['-e', SPIN(0.4)], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const clock = startCpuClock(() => [child.pid!]);
      spinInHere(0.2);
      await once(child.stdout!, 'data');
      const used = clock.read();
      expect(used.self).toBeGreaterThanOrEqual(0.2);
      // /proc counts in hundredths of a second; the child's start-up before the clock started is not counted.
      expect(used.others).not.toBeNull();
      expect(used.others!).toBeGreaterThanOrEqual(0.3);
      expect(used.others!).toBeLessThan(5);
    } finally {
      child.kill();
    }
  });

  it('counts a process that started after the clock whole, and one that is gone as nothing', async () => {
    let pids: number[] = [];
    const clock = startCpuClock(() => pids);
    const child = spawn(process.execPath, ['-e', SPIN(0.3)], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      pids = [child.pid!, 2 ** 22 + 1]; // the second is above Linux's largest pid: no such process
      await once(child.stdout!, 'data');
      expect(clock.read().others!).toBeGreaterThanOrEqual(0.3);
    } finally {
      child.kill();
    }
  });
});

describe('startCpuClock without other processes', () => {
  it('says nothing of others rather than 0', () => {
    expect(startCpuClock(() => []).read().others).toBeNull();
  });
});
