import { availableParallelism } from "node:os";
import { descendantsOf, HAS_CHILDREN_FILES, readStatSync, scanProcesses } from "./proc.ts";
import type { Sample, Sampler } from "./types.ts";

/** A process to watch; `tree` also counts its descendants (PostgreSQL's backends, for example). */
export interface WatchedProcess {
  label: string;
  pid: number;
  tree?: boolean;
}

/**
 * CPU seconds and RSS of every process of the run, from `/proc`. CPU is a counter (`cpu.<label>` in seconds,
 * so its rate is cores: 1.0 = one core busy); RSS is a gauge (`rss.<label>` in MB). A process that has exited
 * keeps its last CPU counter so rates stay non-negative.
 *
 * Each process is read synchronously and timestamped right after its read, so its rate is its CPU over the time
 * between its own two reads, however late the sampler ran (a busy machine delays it): a rate can never claim
 * more than the machine's cores. A tree counts the CPU of the children its root has waited for (cutime), so a
 * PostgreSQL backend that exits keeps its share instead of vanishing from the total.
 */
export function processSampler(list: () => WatchedProcess[], cores = availableParallelism()): Sampler {
  const lastCpu = new Map<string, number>();
  return {
    name: "processes",
    async sample(): Promise<Sample> {
      const counters: Record<string, number> = {};
      const gauges: Record<string, number> = {};
      const times: Record<string, number> = {};
      const ceilings: Record<string, number> = {};
      const all = list();
      // Without per-task children files, trees are found from a full scan (asynchronous, before any timed read).
      const scan = !HAS_CHILDREN_FILES && all.some((p) => p.tree) ? await scanProcesses() : undefined;
      for (const p of all) {
        const pids = p.tree ? descendantsOf(p.pid, scan) : [p.pid];
        let cpu = 0;
        let rss = 0;
        let alive = false;
        for (const pid of pids) {
          const stat = readStatSync(pid);
          if (!stat) continue;
          alive = true;
          cpu += stat.cpuS + (p.tree ? stat.childrenCpuS : 0);
          rss += stat.rssMb;
        }
        const key = `cpu.${p.label}`;
        times[key] = performance.now();
        ceilings[key] = cores;
        // Descendants come and go (PostgreSQL backends): never let the counter go backwards.
        const prev = lastCpu.get(p.label) ?? 0;
        const value = alive ? Math.max(prev, cpu) : prev;
        lastCpu.set(p.label, value);
        counters[key] = value;
        gauges[`rss.${p.label}`] = alive ? rss : 0;
      }
      return { counters, gauges, times, ceilings };
    },
    async close() {},
  };
}
