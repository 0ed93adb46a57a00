import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { AppName, RunEnvironment, RunSummary, TimeSeries } from "../harness/results/types.ts";

/** One run folder read from disk: its summary and the time series of every scenario x app that has one. */
export interface LoadedRun {
  dir: string;
  summary: RunSummary;
  environment: RunEnvironment;
  /** Keyed by `seriesKey(scenario, app)`; absent when the file is missing or unreadable. */
  series: Map<string, TimeSeries>;
  /** Problems met while reading (a missing or broken timeseries.json), shown as warnings in the report. */
  problems: string[];
}

/** Thrown for a run folder that cannot be reported on; the message names the path and what is wrong. */
export class RunLoadError extends Error {
  override name = "RunLoadError";
}

export function seriesKey(scenario: string, app: AppName): string {
  return `${scenario}/${app}`;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new RunLoadError(`cannot parse ${path}: ${(err as Error).message}`);
  }
}

/** Reads `<dir>/summary.json` (required), `<dir>/environment.json` and `<dir>/<scenario>/<app>/timeseries.json`. */
export function loadRun(dirArg: string): LoadedRun {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new RunLoadError(`run folder not found: ${dirArg}`);
  const summaryPath = join(dir, "summary.json");
  if (!existsSync(summaryPath)) {
    throw new RunLoadError(`no summary.json in ${dirArg} (a run folder written by \`statebench bench\` holds one)`);
  }
  const summary = readJson(summaryPath) as RunSummary;
  if (!summary || !Array.isArray(summary.results)) {
    throw new RunLoadError(`${summaryPath} has no "results" array: not a statebench RunSummary`);
  }
  summary.warnings ??= [];
  summary.skipped ??= [];
  const envPath = join(dir, "environment.json");
  const environment = existsSync(envPath) ? (readJson(envPath) as RunEnvironment) : summary.environment;
  if (!environment) throw new RunLoadError(`no environment in ${summaryPath} and no environment.json in ${dirArg}`);
  const series = new Map<string, TimeSeries>();
  const problems: string[] = [];
  for (const r of summary.results) {
    const path = join(dir, r.scenario, r.app, "timeseries.json");
    if (!existsSync(path)) {
      problems.push(`no time series for ${r.scenario} / ${r.app} (${path} missing): its charts are empty`);
      continue;
    }
    try {
      const ts = readJson(path) as TimeSeries;
      if (!Array.isArray(ts.t)) throw new RunLoadError(`${path} has no "t" array`);
      series.set(seriesKey(r.scenario, r.app), ts);
    } catch (err) {
      problems.push(`time series for ${r.scenario} / ${r.app} unreadable: ${(err as Error).message}`);
    }
  }
  return { dir, summary, environment, series, problems };
}
