import { basename } from "node:path";
import type { AppName, AppRunSummary, TimeSeries } from "../harness/results/types.ts";
import { type LoadedRun, seriesKey } from "./load.ts";

/** One column of a comparison: an app in a run (single-run report) or a run of an app (compare report). */
export interface Side {
  label: string;
  /** Which app this side ran; colours follow the side, not the app, so compare mode stays readable. */
  app: AppName;
  runId: string;
  result: AppRunSummary | null;
  series: TimeSeries | null;
  /** Why there is no result (skipped by verification, absent from the run). */
  missing: string | null;
}

/** Two sides compared in one verdict table and one set of charts. */
export interface Pairing {
  id: string;
  title: string;
  scenario: string;
  left: Side;
  right: Side;
}

export interface ReportView {
  mode: "single" | "compare";
  title: string;
  runs: LoadedRun[];
  sideLabels: [string, string];
  /** What the side labels stand for, when they are short (compare mode: "A" and "B"). */
  sideLegend: string | null;
  pairings: Pairing[];
}

const APPS: AppName[] = ["stateless", "stateful"];

function side(run: LoadedRun, scenario: string, app: AppName, label: string): Side {
  const result = run.summary.results.find((r) => r.scenario === scenario && r.app === app) ?? null;
  const skipped = run.summary.skipped.find((s) => s.scenario === scenario && s.app === app);
  return {
    label,
    app,
    runId: run.environment.runId,
    result,
    series: result ? (run.series.get(seriesKey(scenario, app)) ?? null) : null,
    missing: result ? null : skipped ? `skipped: ${skipped.reason}` : `not run in ${run.environment.runId}`,
  };
}

/** Scenarios in the order the run recorded them, including those only present as skipped apps. */
function scenarios(runs: LoadedRun[]): string[] {
  const seen: string[] = [];
  for (const run of runs) {
    for (const s of [...run.summary.results.map((r) => r.scenario), ...run.summary.skipped.map((k) => k.scenario)]) {
      if (!seen.includes(s)) seen.push(s);
    }
  }
  return seen;
}

/** A single run: per scenario, stateless (left) against stateful (right). */
export function singleRunView(run: LoadedRun): ReportView {
  return {
    mode: "single",
    title: `statebench report — ${run.environment.runId}`,
    runs: [run],
    sideLabels: ["stateless", "stateful"],
    sideLegend: null,
    pairings: scenarios([run]).map((scenario) => ({
      id: scenario,
      title: scenario,
      scenario,
      left: side(run, scenario, "stateless", "stateless"),
      right: side(run, scenario, "stateful", "stateful"),
    })),
  };
}

/** Two runs (before/after): per scenario x app, run A (left) against run B (right). */
export function compareView(a: LoadedRun, b: LoadedRun): ReportView {
  // Short labels keep table headers and chart legends readable; the legend says which run each letter is.
  const [labelA, labelB] = ["A", "B"];
  const name = (r: LoadedRun) => r.environment.runId || basename(r.dir);
  const pairings: ReportView["pairings"] = [];
  for (const scenario of scenarios([a, b])) {
    for (const app of APPS) {
      const left = side(a, scenario, app, labelA);
      const right = side(b, scenario, app, labelB);
      if (!left.result && !right.result) continue;
      pairings.push({ id: `${scenario}-${app}`, title: `${scenario} · ${app}`, scenario, left, right });
    }
  }
  return {
    mode: "compare",
    title: `statebench comparison — ${a.environment.runId} vs ${b.environment.runId}`,
    runs: [a, b],
    sideLabels: [labelA, labelB],
    sideLegend: `A = ${name(a)} (before), B = ${name(b)} (after)`,
    pairings,
  };
}
