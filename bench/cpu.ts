/**
 * CPU time of the processes doing a row's work, read from Linux's /proc (user +
 * system time of each, in clock ticks): when Node and PostgreSQL share the
 * cores, a rate says little about where the time went, and CPU per unit of work
 * does (and moves less between runs than the rate). The other processes' figure
 * is null where there is no /proc, or no process to read. A process that ends
 * between the two reads is left out: its CPU is lost, not miscounted.
 */
import { existsSync, readFileSync } from 'node:fs';

/** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux Node runs on. */
const TICKS_PER_SECOND = 100;

/** CPU seconds each process has used so far, by pid (a process that is gone is not in it). */
function cpuByProcess(pids: readonly number[]): Map<number, number> {
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces: state is the first.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    } catch {
      // Gone since it was listed.
    }
  }
  return used;
}

export interface CpuClock {
  /** CPU seconds used since the clock started: this process, and the processes `others()` lists now. */
  read(): { self: number; others: number | null };
}

/** Starts counting. `others` is asked again at the end: a process started meanwhile counts whole. */
export function startCpuClock(others: () => number[]): CpuClock {
  const proc = existsSync('/proc/self/stat');
  const self = process.cpuUsage();
  const before = proc ? cpuByProcess(others()) : new Map<number, number>();
  return {
    read() {
      const used = process.cpuUsage(self);
      const after = proc ? cpuByProcess(others()) : new Map<number, number>();
      let othersUsed: number | null = null;
      for (const [pid, seconds] of after) othersUsed = (othersUsed ?? 0) + seconds - (before.get(pid) ?? 0);
      return { self: (used.user + used.system) / 1e6, others: othersUsed };
    },
  };
}
