import { cpus, loadavg, totalmem } from "node:os";
import { Bench } from "tinybench";
import type { MicroCase } from "./case.ts";
import { CASES } from "./cases/index.ts";
import { Cleanup } from "./cleanup.ts";
import { type MicroOptions, timingFor } from "./options.ts";
import { failedRow, type MicroReport, type MicroRow, rowOf } from "./report.ts";
import { SharedServers } from "./servers.ts";

type Log = (line: string) => void;

/** The cases whose id contains one of `filters` (all when none); throws naming the ids when nothing matches. */
export function selectCases(filters: readonly string[], cases: readonly MicroCase[] = CASES): MicroCase[] {
  const chosen = filters.length === 0 ? [...cases] : cases.filter((c) => filters.some((f) => c.id.includes(f)));
  if (chosen.length === 0) {
    throw new Error(`no case matches ${filters.join(", ")}; cases: ${cases.map((c) => c.id).join(", ")}`);
  }
  return chosen;
}

/**
 * Runs the selected cases one after the other, each task for a fixed time after a warmup, and always stops every
 * server and resource the cases opened. A case that fails is reported as a failed row; the others still run.
 */
export async function runMicro(
  opts: MicroOptions,
  { log = (l) => process.stderr.write(`${l}\n`), cases: all = CASES }: { log?: Log; cases?: readonly MicroCase[] } = {},
): Promise<MicroReport> {
  const cases = selectCases(opts.cases, all);
  const timing = timingFor(opts.quick);
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg()[0] ?? 0;
  const servers = new SharedServers();
  const processes: MicroReport["processes"] = [];
  const rows: MicroRow[] = [];
  const facts: MicroReport["facts"] = {};
  const warn = (err: unknown) => log(`cleanup failed: ${(err as Error).message ?? String(err)}`);
  try {
    for (const c of cases) {
      const cleanup = new Cleanup(warn);
      log(`micro: ${c.id}: ${c.about}`);
      try {
        const run = await c.setup({
          postgresUrl: () => servers.postgresUrl(),
          redisUrl: () => servers.redisUrl(),
          defer: (fn) => cleanup.defer(fn),
          track: (kind, pid) => processes.push({ kind, pid }),
          quick: opts.quick,
        });
        const bench = new Bench({
          name: c.id,
          time: timing.timeMs,
          warmupTime: timing.warmupTimeMs,
          iterations: timing.iterations,
          warmupIterations: timing.warmupIterations,
          throws: false,
        });
        for (const t of run.tasks) {
          const before = t.beforeEach;
          bench.add(t.name, t.fn, before ? { beforeEach: async () => void (await before()) } : {});
        }
        await bench.run();
        run.tasks.forEach((t, i) => {
          const task = bench.tasks[i];
          rows.push(task ? rowOf(c.id, t, task) : failedRow(c.id, t.name, "missing", "task did not run"));
        });
        // Facts only explain the figures: a failure to gather them is noted, not a failed benchmark.
        facts[c.id] = run.facts
          ? await Promise.resolve(run.facts()).catch((err: Error) => ({ error: err.message }))
          : {};
      } catch (err) {
        rows.push(failedRow(c.id, "(setup)", "setup-failed", (err as Error).stack ?? String(err)));
      } finally {
        await cleanup.run();
      }
    }
  } finally {
    await servers.stop();
    processes.push(...servers.started);
  }
  return {
    kind: "statebench-micro",
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: opts.quick,
    timing,
    environment: {
      node: process.version,
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      memoryBytes: totalmem(),
      platform: `${process.platform} ${process.arch}`,
      // The 1-minute load average before and after: above the core count, other processes shared the CPU.
      loadAverageBefore: Number(loadBefore.toFixed(2)),
      loadAverageAfter: Number((loadavg()[0] ?? 0).toFixed(2)),
    },
    rows,
    facts,
    processes,
  };
}
