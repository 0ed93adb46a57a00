import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { createGunzip } from "node:zlib";
import { LIMITS } from "../../contract/index.ts";
import type { ScenarioOverrides } from "../../scenarios/index.ts";
import { loadScenario, withOverrides } from "../../scenarios/index.ts";
import { auditRun } from "../audit/index.ts";
import { captureEnvironment } from "../bench/environment.ts";
import { buildTimeSeries } from "../bench/series.ts";
import { buildAppSummary, loadWarnings } from "../bench/summary.ts";
import { evaluateThresholds, parseThresholds } from "../bench/thresholds.ts";
import { phasePlan, planSeconds } from "../driver/schedule.ts";
import type { AppName, AuditResult, RunSummary } from "../results/types.ts";
import { roundTripModel } from "../round-trips/model.ts";
import { parseK6Ndjson } from "./parse.ts";
import { readK6Summary } from "./summary.ts";
import { k6Acks, k6ResultToDriverResult } from "./to-driver-result.ts";

/** What was run, as `npm run k8s -- run` records it in run.json (or given by flags). */
export interface ImportSpec {
  app: AppName;
  runId: string;
  scenario: string;
  profile: string;
  overrides: ScenarioOverrides;
  seed: number;
  parallelism?: number;
}

export interface ImportOptions {
  /** Folder holding one sub-folder per k6 pod, each with points.ndjson.gz (and summary-export.json). */
  k6Dir: string;
  spec: ImportSpec;
  /** `results/` by default: the run lands in `<outDir>/<run-id>/`. */
  outDir: string;
  /** The app's load balancer as the harness can reach it (a port-forward): the audit reads the API there. */
  target: string | null;
  /** PostgreSQL as the harness can reach it: the audit then checks the database too. */
  databaseUrl: string | null;
  log?: (m: string) => void;
}

/** Every `points.ndjson[.gz]` below `dir`, one per k6 pod. */
export function findPointFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === "points.ndjson.gz" || name === "points.ndjson") out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * The k6 pods' streams as one: each file decompressed in turn, a newline between them. Order does not matter:
 * the converter puts every sample on one timeline, and the window starts at the earliest pod's start.
 */
async function* concatenated(files: string[]): AsyncGenerator<Buffer> {
  for (const f of files) {
    const stream = f.endsWith(".gz") ? createReadStream(f).pipe(createGunzip()) : createReadStream(f);
    for await (const chunk of stream) yield chunk as Buffer;
    yield Buffer.from("\n");
  }
}

function notAudited(acknowledged: number, why: string): AuditResult {
  return {
    valid: "unknown",
    acknowledged,
    lost: 0,
    unexpected: 0,
    recovered: 0,
    indeterminate: 0,
    doubleSold: 0,
    soldApi: null,
    soldDb: null,
    examples: [],
    notes: [why],
  };
}

/**
 * Turns the k6 output of a distributed run (k6-operator TestRun: several pods, each with an execution segment)
 * into a statebench run folder, `<outDir>/<run-id>/`, that the reporter renders like any other: the pods'
 * samples merged into one driver result (latency, throughput, errors, the acknowledgement log), the audit through
 * the app's API (and database) when the harness can reach them, and no sampler figures (the harness did not run
 * next to the stack: CPU, RSS, PostgreSQL and Redis columns stay empty and the run says so).
 */
export async function importK6Run(o: ImportOptions): Promise<{ dir: string; summary: RunSummary }> {
  const log = o.log ?? (() => {});
  const s = o.spec;
  const files = findPointFiles(o.k6Dir);
  if (files.length === 0)
    throw new Error(`no points.ndjson.gz under ${o.k6Dir} (copy /results/<run-id> out of the collect pod)`);
  log(`reading ${files.length} k6 output file(s): ${files.map((f) => relative(o.k6Dir, f)).join(", ")}`);
  const scenario = withOverrides(loadScenario(s.scenario, s.profile), s.overrides);
  const run = await parseK6Ndjson(concatenated(files), { scenario: "measured" });
  const scheduleS = planSeconds(phasePlan(scenario, "measure"));
  const warnings = [
    `imported from ${files.length} k6 pod(s) of a Kubernetes run: no process, PostgreSQL or Redis samples (the harness did not run beside the stack)`,
  ];
  const driver = k6ResultToDriverResult(run, {
    phase: "measure",
    seed: s.seed,
    scheduleS,
    endedBy: "schedule",
    warnings,
  });
  const acks = k6Acks(run, run.windowStartMs);

  let audit: AuditResult;
  if (o.target) {
    log(`auditing through ${o.target}${o.databaseUrl ? " and the database" : ""}`);
    try {
      audit = await auditRun({ app: s.app, baseUrl: o.target, databaseUrl: o.databaseUrl, eventId: s.runId, acks });
    } catch (err) {
      audit = notAudited(acks.length, `the audit crashed: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else {
    const acked = acks.filter((a) => a.op === "confirm" && a.type === "ok").length;
    audit = notAudited(acked, "not audited: pass --target <the load balancer's URL> (and DATABASE_URL) to audit");
  }

  const dir = join(o.outDir, s.runId);
  const appDir = join(dir, scenario.name, s.app);
  await mkdir(join(appDir, "k6"), { recursive: true });
  const environment = await captureEnvironment(s.runId, {
    where: "kubernetes",
    profile: s.profile,
    apps: [s.app],
    scenarios: [scenario.name],
    ...s.overrides,
    driver: "k6",
    seed: s.seed,
    k6Pods: s.parallelism ?? files.length,
    scenarioDefinitions: [scenario],
  });
  environment.command = ["statebench", "import-k6", ...process.argv.slice(3)];
  const summary = buildAppSummary({
    scenario: scenario.name,
    app: s.app,
    appConfig: { nodes: scenario.cluster.nodes, nodeCpu: scenario.cluster.nodeCpu },
    driverName: "k6",
    driver,
    countersAtStart: {},
    countersAtEnd: {},
    rows: [],
    roles: {},
    journal: s.app === "stateful" ? { eventsPerTransaction: null } : null,
    // The pods' /metrics are not collected here: the clustered stateful app declares the contract's bound.
    routing: null,
    stalenessBoundMs: s.app === "stateful" ? LIMITS.availabilityStalenessMs : 0,
    usesRedis: false,
    audit,
    faults: [],
  });
  summary.warnings = loadWarnings(driver, {}, {});
  // The modes deploy/k8s runs (WRITE_MODE=queue, PERSISTENCE=sync), so the report can project these latencies too.
  summary.roundTrips = roundTripModel({ app: s.app, writeMode: "queue", persistence: "sync" });
  summary.thresholds = evaluateThresholds(parseThresholds(scenario.thresholds), summary);
  const runSummary: RunSummary = { environment, results: [summary], warnings, skipped: [] };
  await writeFile(join(dir, "environment.json"), JSON.stringify(environment, null, 2));
  await writeFile(join(dir, `${scenario.name}.scenario.json`), JSON.stringify(scenario, null, 2));
  await writeFile(join(dir, "summary.json"), JSON.stringify(runSummary, null, 2));
  await writeFile(join(appDir, "timeseries.json"), JSON.stringify(buildTimeSeries(driver, [], 0, [])));
  await writeFile(join(appDir, "histograms.json"), JSON.stringify(driver.histograms));
  await writeFile(join(appDir, "acks.ndjson"), acks.map((a) => `${JSON.stringify(a)}\n`).join(""));
  // The pods' own summaries, kept beside (k6's thresholds per pod).
  for (const f of files) {
    const pod = basename(join(f, ".."));
    await copyFile(f, join(appDir, "k6", `${pod}-${basename(f)}`));
    const summaryExport = join(f, "..", "summary-export.json");
    if (existsSync(summaryExport)) {
      await readK6Summary(summaryExport); // refuse a file k6 did not write
      await copyFile(summaryExport, join(appDir, "k6", `${pod}-summary-export.json`));
    }
  }
  return { dir, summary: runSummary };
}
