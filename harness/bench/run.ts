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
    rttMs: o.rttMs,
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
  const agreement: AppRunSummary[] = [];
  for (const scenario of scenarios) {
    await writeFile(join(dir, `${scenario.name}.scenario.json`), JSON.stringify(scenario, null, 2));
    for (const app of o.apps) {
      const prefix = `[${scenario.name}/${app}]`;
      const ctx = {
        scenario,
        app,
        options: o,
        dir: join(dir, scenario.name, app),
        runDir: dir,
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
      if (o.agreement) {
        // The same scenario x app on k6, right after, on its own fresh stack: the driver-agreement pair.
        const k6Prefix = `[${scenario.name}/${app}/k6]`;
        const k6Ctx = {
          ...ctx,
          options: { ...o, driver: "k6" as const, agreement: false },
          dir: join(ctx.dir, "k6-driver"),
          log: (m: string) => log(`${k6Prefix} ${m}`),
          onSecond: progress ? (line: string) => progress(`${k6Prefix} ${line}`) : undefined,
        };
        await mkdir(k6Ctx.dir, { recursive: true });
        const k = o.target ? await measure(k6Ctx, remoteTarget(o.target)) : await runOne(k6Ctx);
        if (k.summary) agreement.push(k.summary);
        else log(`${k6Prefix} NOT BENCHMARKED on k6: ${k.skipped}`);
      }
    }
  }
  const summary: RunSummary = { environment, results, warnings: [], skipped, ...(o.agreement ? { agreement } : {}) };
  await writeFile(join(dir, "summary.json"), JSON.stringify(summary, null, 2));
  return { dir, summary };
}

/**
 * What a run's exit code says. `untrustworthy` (exit 1): a failed or inconclusive audit, a driver that fell
 * behind, an app not benchmarked (verification failed, the stack did not start). `thresholds` (exit 99, k6's
 * convention): a `--threshold` the user set broke. `findings` (exit 0): what an overloaded app did (shed load,
 * broke a scenario's own threshold), which is a result, not a harness failure.
 */
export interface RunVerdict {
  untrustworthy: string[];
  thresholds: string[];
  findings: string[];
}

const pct = (x: number) => `${+(x * 100).toFixed(2)}%`;

export function runVerdict(s: RunSummary): RunVerdict {
  const v: RunVerdict = { untrustworthy: [], thresholds: [], findings: [] };
  // The k6 half of `--driver both` is as much a run as the embedded half: its audit and its schedule count too.
  const tagged = [...s.results.map((r) => ({ r, via: "" })), ...(s.agreement ?? []).map((r) => ({ r, via: " (k6)" }))];
  for (const { r, via } of tagged) {
    const who = `${r.scenario}/${r.app}${via}`;
    if (r.audit.valid !== true)
      v.untrustworthy.push(
        `${who}: audit ${r.audit.valid === false ? "FAILED" : "inconclusive"}: ${r.audit.notes.join("; ")}`,
      );
    if (!r.driverHealth.keptSchedule)
      v.untrustworthy.push(
        `${who}: the driver could not keep its schedule (p99 lag ${r.driverHealth.p99LagMs} ms, ` +
          `${r.journeys.dropped} arrivals dropped)`,
      );
    for (const t of r.thresholds.filter((x) => !x.ok)) {
      const line = `${who}: threshold ${t.expr} broken (actual ${t.actual})`;
      // Summaries from before `setBy` did not tell; they are judged as before, as the user's.
      (t.setBy === "scenario" ? v.findings : v.thresholds).push(line);
    }
    if (r.shed && r.shed.requests > 0)
      v.findings.push(`${who}: shed ${r.shed.requests} requests (${pct(r.shed.rate)} of answers were 503 overloaded)`);
    if (r.unavailable && r.unavailable.requests > 0)
      v.findings.push(
        `${who}: ${r.unavailable.requests} requests answered 503 unavailable (${pct(r.unavailable.rate)} of answers: ` +
          "a shard moving or storage down)",
      );
    if (r.capacity) {
      const c = r.capacity;
      v.findings.push(
        `${who}: capacity ${c.journeysPerS} journeys/s, ${c.bookingsPerS} bookings/s at ${c.slo.thresholds.join(", ")}` +
          ` (${c.endedBy === "top-step" ? "every step held: at least this much" : `then ${c.endedBy === "slo" ? "the SLO broke" : "the driver fell behind: at least this much"}`})`,
      );
    }
  }
  for (const k of s.skipped) v.untrustworthy.push(`${k.scenario}/${k.app}: not benchmarked: ${k.reason}`);
  return v;
}

/** 1 for an untrustworthy run, else 99 for a broken user threshold, else 0. */
export function exitCodeOf(v: RunVerdict): number {
  if (v.untrustworthy.length > 0) return 1;
  return v.thresholds.length > 0 ? 99 : 0;
}

/** Why a run exits non-zero (untrustworthy, then broken user thresholds); empty for exit code 0. */
export function runProblems(s: RunSummary): string[] {
  const v = runVerdict(s);
  return [...v.untrustworthy, ...v.thresholds];
}
