import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Task } from "tinybench";
import type { MicroTask } from "./case.ts";
import type { BenchTiming } from "./options.ts";

/** One line of the table and of the JSON file. */
export interface MicroRow {
  case: string;
  task: string;
  /** tinybench's task state, or `setup-failed` when the case could not be set up. */
  state: string;
  error?: string;
  /** Iterations per second: 1000 / mean latency (the tinybench `throughput.mean` is the mean of 1/latency). */
  opsPerSec: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Relative margin of error of the mean latency, in percent (95 %, Student's t). */
  rmePct: number;
  samples: number;
  /** For iterations that carry several items (rows, asks, requests): the cost per item. */
  items?: { count: number; unit: string; perSec: number; meanMs: number };
}

/** The JSON file `results/micro-<timestamp>.json`. */
export interface MicroReport {
  kind: "statebench-micro";
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  timing: BenchTiming;
  environment: Record<string, string | number>;
  rows: MicroRow[];
  /** Per case: what shows the measurement took the intended path (see each case's `facts`). */
  facts: Record<string, Record<string, unknown>>;
  /** Every server the run started, so a reader (and the test) can check they are gone. */
  processes: Array<{ kind: string; pid: number | null }>;
}

/** Turns a finished tinybench task into a row. */
export function rowOf(caseId: string, spec: MicroTask, task: Task): MicroRow {
  const r = task.result;
  if (r.state !== "completed" && r.state !== "aborted-with-statistics") {
    const error = r.state === "errored" ? r.error.message : `task ${r.state}`;
    return failedRow(caseId, spec.name, r.state, error);
  }
  const lat = r.latency;
  const opsPerSec = lat.mean > 0 ? 1_000 / lat.mean : 0;
  const row: MicroRow = {
    case: caseId,
    task: spec.name,
    state: r.state,
    opsPerSec,
    meanMs: lat.mean,
    p50Ms: lat.p50,
    p99Ms: lat.p99,
    rmePct: lat.rme,
    samples: lat.samplesCount,
  };
  if (spec.items !== undefined) {
    const { count, unit } = spec.items;
    row.items = { count, unit, perSec: opsPerSec * count, meanMs: lat.mean / count };
  }
  return row;
}

export function failedRow(caseId: string, task: string, state: string, error: string): MicroRow {
  return { case: caseId, task, state, error, opsPerSec: 0, meanMs: 0, p50Ms: 0, p99Ms: 0, rmePct: 0, samples: 0 };
}

function duration(ms: number): string {
  if (ms < 1) return `${(ms * 1_000).toFixed(1)} µs`;
  if (ms < 1_000) return `${ms.toFixed(2)} ms`;
  return `${(ms / 1_000).toFixed(2)} s`;
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");

/** The table printed on stdout: one line per task, failures with their error. */
export function formatTable(rows: readonly MicroRow[]): string {
  const head = ["case / task", "ops/s", "mean", "p50", "p99", "±%", "samples", "per item"];
  const body = rows.map((r) => {
    const name = `${r.case} / ${r.task}`;
    if (r.error !== undefined) return [name, "FAILED", r.error.split("\n")[0] ?? "", "", "", "", "", ""];
    const item = r.items
      ? `${count(r.items.perSec)} ${r.items.unit}s/s, ${duration(r.items.meanMs)}/${r.items.unit}`
      : "";
    const times = [r.meanMs, r.p50Ms, r.p99Ms].map(duration);
    return [name, count(r.opsPerSec), ...times, `±${r.rmePct.toFixed(2)}`, count(r.samples), item];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const right = new Set([1, 2, 3, 4, 5, 6]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join(" | ")
      .trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)].join("\n");
}

/** Writes the report as `<dir>/micro-<timestamp>.json` and returns the path. */
export function writeReport(dir: string, report: MicroReport): string {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const file = join(dir, `micro-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
