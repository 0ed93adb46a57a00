import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { BENCH_SCENARIOS, loadScenario, withOverrides } from "../../scenarios/index.ts";
import type { Scenario } from "../../scenarios/types.ts";
import type { AppRunSummary, RunSummary } from "../results/types.ts";
import { captureEnvironment } from "./environment.ts";
import type { BenchOptions } from "./options.ts";
import { measure, runOne } from "./run-one.ts";
import { remoteTarget } from "./target.ts";

export interface BenchRun {
  dir: string;
  summary: RunSummary;
}

/** The scenarios a run covers: the named ones, else the profile's default set, each with the CLI overrides. */
export function planScenarios(o: BenchOptions): Scenario[] {
  const names = o.scenarios ?? [...BENCH_SCENARIOS];
  return names.map((name) =>
    withOverrides(loadScenario(name, o.profile), {
      ...(o.rate !== null ? { rate: o.rate } : {}),
      ...(o.durationS !== null ? { durationS: o.durationS } : {}),
      ...(o.seats !== null ? { seats: o.seats } : {}),
      ...(o.nodes !== null ? { nodes: o.nodes } : {}),
      ...(o.nodeCpu !== null ? { nodeCpu: o.nodeCpu } : {}),
    }),
  );
}

/**
 * Runs every planned scenario against every app, one at a time (they share two cores), each on a fresh private
 * stack, and writes `results/<run-id>/`: environment.json, summary.json and per-run folders.
 */
export async function runBench(
  o: BenchOptions,
  log: (m: string) => void,
  progress?: (line: string) => void,
): Promise<BenchRun> {
  const scenarios = planScenarios(o);
  const dir = resolve(o.outDir, o.runId);
  await mkdir(dir, { recursive: true });
  const environment = await captureEnvironment(o.runId, {
    profile: o.profile,
    apps: o.apps,
    scenarios: scenarios.map((s) => s.name),
    rate: o.rate,
    durationS: o.durationS,
    seats: o.seats,
    nodes: o.nodes,
    nodeCpu: o.nodeCpu,
    writeMode: o.writeMode,
    persistence: o.persistence,
    granularity: o.granularity,
    appEnv: o.appEnv,
    driver: o.driver,
    hosts: o.hosts,
    target: o.target ? { lb: o.target.lb, nodes: o.target.nodes } : null,
    seed: o.seed,
    thresholds: o.thresholds.map((t) => t.expr),
    scenarioDefinitions: scenarios,
  });
  await writeFile(join(dir, "environment.json"), JSON.stringify(environment, null, 2));

  const results: AppRunSummary[] = [];
  const skipped: RunSummary["skipped"] = [];
  for (const scenario of scenarios) {
    await writeFile(join(dir, `${scenario.name}.scenario.json`), JSON.stringify(scenario, null, 2));
    for (const app of o.apps) {
      const prefix = `[${scenario.name}/${app}]`;
      const ctx = {
        scenario,
        app,
        options: o,
        dir: join(dir, scenario.name, app),
        log: (m: string) => log(`${prefix} ${m}`),
        onSecond: progress ? (line: string) => progress(`${prefix} ${line}`) : undefined,
      };
      await mkdir(ctx.dir, { recursive: true });
      const r = o.target ? await measure(ctx, remoteTarget(o.target)) : await runOne(ctx);
      if (r.summary) results.push(r.summary);
      else {
        skipped.push({ scenario: scenario.name, app, reason: r.skipped ?? "unknown" });
        log(`${prefix} NOT BENCHMARKED: ${r.skipped}`);
      }
    }
  }
  const summary: RunSummary = { environment, results, warnings: [], skipped };
  await writeFile(join(dir, "summary.json"), JSON.stringify(summary, null, 2));
  return { dir, summary };
}

/** Why a run should exit non-zero: a failed audit, a driver that fell behind, a broken threshold, a skipped app. */
export function runProblems(s: RunSummary): string[] {
  const out: string[] = [];
  for (const r of s.results) {
    const who = `${r.scenario}/${r.app}`;
    if (r.audit.valid !== true)
      out.push(`${who}: audit ${r.audit.valid === false ? "FAILED" : "inconclusive"}: ${r.audit.notes.join("; ")}`);
    if (!r.driverHealth.keptSchedule)
      out.push(`${who}: the driver could not keep its schedule (p99 lag ${r.driverHealth.p99LagMs} ms)`);
    for (const t of r.thresholds.filter((x) => !x.ok))
      out.push(`${who}: threshold ${t.expr} broken (actual ${t.actual})`);
  }
  for (const k of s.skipped) out.push(`${k.scenario}/${k.app}: not benchmarked: ${k.reason}`);
  return out;
}
