import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { spawnChild } from "../infra/index.ts";
import type { RunSummary } from "../results/types.ts";
import { machineSampler, startRecorder } from "../samplers/index.ts";
import type { Repetition } from "./interleaved-compare.ts";

export interface SideRun {
  /** Checkout whose own harness runs (`bin/statebench.mjs` there). */
  dir: string;
  runId: string;
  /** Absolute results folder; the run lands in `<outDir>/<runId>/`. */
  outDir: string;
  scenarios: string;
}

export interface SideResult extends Repetition {
  exitCode: number | null;
  logFile: string;
  wallS: number;
  /** Why there is no summary. */
  error: string | null;
}

/**
 * Reads a summary.json of any version: the format has grown fields (`machine`, `driver` as an object), and a
 * baseline commit writes what it wrote then. Only what the gate reads must be there.
 */
export function readSummary(path: string): RunSummary {
  const s = JSON.parse(readFileSync(path, "utf8")) as RunSummary;
  if (!s || !Array.isArray(s.results)) throw new Error(`${path}: no results array`);
  s.skipped ??= [];
  s.warnings ??= [];
  return s;
}

/** The driver's name in either format ("embedded", or `{ name: "embedded", ... }`). */
export function driverName(r: { driver?: unknown }): string {
  const d = r.driver as string | { name?: string } | undefined;
  return typeof d === "string" ? d : (d?.name ?? "unknown");
}

/**
 * One repetition of one commit: its own harness as a child process (`bench --profile ci`), while this process
 * samples the machine: busy CPU minus that child's whole process tree is the outside load, the same method for
 * both commits whatever their harness records. Returns the summary and the outside load of each measured window.
 */
export async function runSide(s: SideRun): Promise<SideResult> {
  const logDir = join(s.outDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${s.runId}.log`);
  let childPid = -1;
  const machine = machineSampler(() => (childPid > 0 ? [childPid] : []));
  const wallStart = Date.now();
  const recorder = startRecorder({ samplers: [machine], intervalMs: 1000, maxTicks: 3 * 3600 });
  const child = spawnChild({
    label: s.runId,
    command: process.execPath,
    args: [
      join(s.dir, "bin", "statebench.mjs"),
      ...["bench", "--profile", "ci", "--scenario", s.scenarios],
      ...["--run-id", s.runId, "--out", s.outDir, "--no-report"],
    ],
    cwd: s.dir,
    logFile,
  });
  childPid = child.pid;
  const exitCode = await child.exited;
  await recorder.stop();
  const wallS = (Date.now() - wallStart) / 1000;
  const path = join(s.outDir, s.runId, "summary.json");
  if (!existsSync(path)) {
    return { summary: null, outsidePercent: {}, exitCode, logFile, wallS, error: `no summary (exit ${exitCode})` };
  }
  let summary: RunSummary;
  try {
    summary = readSummary(path);
  } catch (err) {
    return { summary: null, outsidePercent: {}, exitCode, logFile, wallS, error: (err as Error).message };
  }
  // The private PostgreSQL data of each window (~50 MB, 40 per job) answers nothing the comparison asks.
  for (const r of summary.results)
    rmSync(join(s.outDir, s.runId, r.scenario, r.app, "pg"), { recursive: true, force: true });
  const cores = availableParallelism();
  const outsidePercent: Record<string, number | null> = {};
  for (const r of summary.results) {
    const from = Date.parse(r.window.startedAt);
    const to = from + r.window.durationS * 1000;
    // A row's rate covers the second before it: rows ending inside the window (and the one just after it).
    const rates = recorder.rows
      .filter((row) => {
        const at = wallStart + row.t * 1000;
        return at > from + 500 && at <= to + 1000;
      })
      .map((row) => row.rates["cpu.outside"])
      .filter((x): x is number => x !== undefined);
    outsidePercent[`${r.scenario}/${r.app}`] =
      rates.length > 0 ? Math.round((rates.reduce((a, b) => a + b, 0) / rates.length / cores) * 1000) / 10 : null;
  }
  return { summary, outsidePercent, exitCode, logFile, wallS, error: null };
}
