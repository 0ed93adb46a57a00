import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Scenario } from "../../scenarios/types.ts";
import { auditRun } from "../audit/index.ts";
import { prepareEvent, runDriver } from "../driver/index.ts";
import type { DriverResult } from "../driver/types.ts";
import type { AckRecord, AppName, AppRunSummary, AuditResult } from "../results/types.ts";
import { haproxySampler, postgresSampler, processSampler, redisSampler, startRecorder } from "../samplers/index.ts";
import { type Stack, startStack } from "../stack/index.ts";
import { drainWrites, sumMetrics } from "./drain.ts";
import { startFaults } from "./faults.ts";
import type { BenchOptions } from "./options.ts";
import { buildTimeSeries } from "./series.ts";
import { buildAppSummary, loadWarnings } from "./summary.ts";
import { evaluateThresholds, parseThresholds } from "./thresholds.ts";
import { verifyApp } from "./verify.ts";

export interface RunOneResult {
  summary: AppRunSummary | null;
  /** Why the app was not benchmarked (verification failed, the stack did not start). */
  skipped: string | null;
}

export interface RunOneContext {
  scenario: Scenario;
  app: AppName;
  options: BenchOptions;
  /** `results/<run-id>/<scenario>/<app>`. */
  dir: string;
  log: (message: string) => void;
  onSecond?: (line: string) => void;
}

const appConfig = (c: RunOneContext): AppRunSummary["appConfig"] => ({
  nodes: c.scenario.cluster.nodes,
  nodeCpu: c.scenario.cluster.nodeCpu,
  ...(c.app === "stateless"
    ? { writeMode: c.options.writeMode }
    : { persistence: c.options.persistence, granularity: c.options.granularity }),
});

/**
 * One scenario against one app, start to finish: private stack, verify, warm-up, measured window with samplers
 * and the fault timeline, drain, cold restart, audit, summary. Everything it started is stopped before it returns.
 */
export async function runOne(c: RunOneContext): Promise<RunOneResult> {
  await mkdir(c.dir, { recursive: true });
  c.log(
    `starting ${c.app} (${c.scenario.cluster.nodes} node(s)${c.scenario.cluster.nodeCpu ? `, ${c.scenario.cluster.nodeCpu} core each` : ""})`,
  );
  let stack: Stack;
  try {
    stack = await startStack({
      app: c.app,
      nodes: c.scenario.cluster.nodes,
      nodeCpu: c.scenario.cluster.nodeCpu,
      runDir: c.dir,
      keepRunDir: true,
      writeMode: c.options.writeMode,
      persistence: c.options.persistence,
      granularity: c.options.granularity,
      warn: c.log,
    });
  } catch (err) {
    return { summary: null, skipped: `the stack did not start: ${err instanceof Error ? err.message : String(err)}` };
  }
  try {
    return await measure(c, stack);
  } finally {
    await stack.stop();
  }
}

async function measure(c: RunOneContext, stack: Stack): Promise<RunOneResult> {
  const verdict = await verifyApp(stack.url);
  if (!verdict.ok) return { summary: null, skipped: `failed verification: ${verdict.problems.join("; ")}` };

  const tag = Math.random().toString(36).slice(2, 8);
  const eventId = `${c.scenario.name}-${tag}`;
  if (c.scenario.arrival.warmupS > 0) {
    const warmEvent = `warmup-${tag}`;
    await prepareEvent({ baseUrl: stack.url, eventId: warmEvent, scenario: c.scenario });
    c.log(`warm-up: ${c.scenario.arrival.warmupS} s at ${c.scenario.arrival.warmupRate}/s (not measured)`);
    await runDriver({
      scenario: c.scenario,
      baseUrl: stack.url,
      eventId: warmEvent,
      phase: "warmup",
      seed: c.options.seed,
    });
  }
  await prepareEvent({ baseUrl: stack.url, eventId, scenario: c.scenario });

  const watched = () => [
    ...stack.processes().map((p) => ({ label: p.label, pid: p.pid, tree: p.role === "postgres" })),
    { label: "driver", pid: process.pid },
  ];
  const recorderStartMs = Date.now();
  const recorder = startRecorder({
    samplers: [
      postgresSampler(stack.databaseUrl),
      ...(stack.redisUrl ? [redisSampler(stack.redisUrl)] : []),
      haproxySampler(async () =>
        (await stack.haproxy.stats()).map((s) => ({
          server: s.id,
          sessions: s.sessions,
          errors: s.connectionErrors + s.responseErrors,
          current: s.currentSessions,
        })),
      ),
      processSampler(watched),
    ],
  });
  const roles: Record<string, string> = { driver: "driver" };
  const noteRoles = () => {
    for (const p of stack.processes()) roles[p.label] = p.role;
  };
  noteRoles();

  const acks: AckRecord[] = [];
  const ackFile = createWriteStream(join(c.dir, "acks.ndjson"));
  let windowStartMs = Date.now();
  let countersAtStart: Record<string, number> = {};
  let faults: ReturnType<typeof startFaults> | undefined;
  const journalBefore = await sumMetrics(stack, ["journalEvents", "journalTransactions"]);
  let driver: DriverResult;
  try {
    await recorder.tick();
    countersAtStart = recorder.totals();
    driver = await runDriver({
      scenario: c.scenario,
      baseUrl: stack.url,
      eventId,
      phase: "measure",
      seed: c.options.seed,
      onStart: (ms) => {
        windowStartMs = ms;
        faults = startFaults(stack, c.scenario.faults, ms, c.log);
      },
      onAck: (a) => {
        acks.push(a);
        ackFile.write(`${JSON.stringify(a)}\n`);
      },
      onSecond: (s) =>
        c.onSecond?.(
          `${s.t + 1}s  ${s.requests} req/s  p99 ${s.latencyP99.toFixed(1)} ms  errors ${s.errors}  bookings ${s.bookings}/s  in flight ${s.inFlight}`,
        ),
    });
  } finally {
    await faults?.stop();
    await new Promise((r) => ackFile.end(r));
  }
  noteRoles();
  const journalAfter = await sumMetrics(stack, ["journalEvents", "journalTransactions"]);

  const drainS = await drainWrites(stack);
  c.log(drainS === null ? "writes did not drain within 60 s" : `writes drained in ${drainS.toFixed(1)} s`);
  await recorder.tick();
  const countersAtEnd = recorder.totals();
  await recorder.stop();

  const audit = await coldRestartAndAudit(c, stack, eventId, acks);
  const faultRecords = faults?.records ?? [];
  const offsetS = (windowStartMs - recorderStartMs) / 1000;
  const series = buildTimeSeries(driver, recorder.rows, offsetS, faultRecords);
  const events = (journalAfter.journalEvents ?? 0) - (journalBefore.journalEvents ?? 0);
  const txs = (journalAfter.journalTransactions ?? 0) - (journalBefore.journalTransactions ?? 0);
  const quotas: Record<string, number> = { postgres: 2, driver: 1 };
  for (const p of stack.processes())
    if (c.scenario.cluster.nodeCpu && p.role !== "postgres") quotas[p.label] = c.scenario.cluster.nodeCpu;

  const base = buildAppSummary({
    scenario: c.scenario.name,
    app: c.app,
    appConfig: appConfig(c),
    driverName: "embedded",
    driver,
    countersAtStart,
    countersAtEnd,
    rows: recorder.rows,
    roles,
    journal:
      c.app === "stateful" ? { eventsPerTransaction: txs > 0 ? Math.round((events / txs) * 100) / 100 : null } : null,
    usesRedis: stack.redisUrl !== null,
    audit,
    thresholds: [],
    faults: faultRecords,
    warnings: [],
  });
  base.warnings = [
    ...loadWarnings(driver, base.cpu.maxPercentByProcess, quotas),
    ...[...recorder.failures].map(([name, err]) => `sampler ${name} failed: ${err}`),
    ...(drainS === null ? ["writes did not drain within 60 s"] : []),
  ];
  base.thresholds = evaluateThresholds(
    [...parseThresholds(c.scenario.thresholds), ...c.options.thresholds],
    base as AppRunSummary,
  );
  await writeFile(join(c.dir, "timeseries.json"), JSON.stringify(series));
  await writeFile(join(c.dir, "histograms.json"), JSON.stringify(driver.histograms));
  return { summary: base, skipped: null };
}

/** Stops every balanced node gracefully, starts one fresh node on the same database, and audits through it. */
async function coldRestartAndAudit(
  c: RunOneContext,
  stack: Stack,
  eventId: string,
  acks: AckRecord[],
): Promise<AuditResult> {
  try {
    for (const n of stack.nodes.filter((x) => x.role !== "worker")) await stack.stopNode(n.id);
    await stack.addNodes(1);
    c.log("cold restart done; auditing");
    return await auditRun({ app: c.app, baseUrl: stack.url, databaseUrl: stack.databaseUrl, eventId, acks });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      valid: "unknown",
      acknowledged: acks.filter((a) => a.op === "confirm" && a.type === "ok").length,
      lost: 0,
      unexpected: 0,
      recovered: 0,
      indeterminate: 0,
      doubleSold: 0,
      soldApi: null,
      soldDb: null,
      examples: [],
      notes: [`the audit crashed: ${message}`],
    };
  }
}
