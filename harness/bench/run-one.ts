import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import type { Scenario } from "../../scenarios/types.ts";
import { auditRun } from "../audit/index.ts";
import { agentDriver } from "../driver/agent.ts";
import { prepareEvent } from "../driver/index.ts";
import type { DriverOptions, DriverResult } from "../driver/types.ts";
import { LOCAL, type Placement } from "../infra/index.ts";
import { type K6DriverResult, k6Summary, runK6 } from "../k6/index.ts";
import type { AckRecord, AppName, AppRunSummary, AuditResult } from "../results/types.ts";
import { roundTripModel } from "../round-trips/model.ts";
import { machineLoad, machineSampler, type OutsideUse, startRecorder, type WatchedProcess } from "../samplers/index.ts";
import { resolveSlo, runCapacitySearch, type SearchResult, type SearchSlo } from "./capacity/index.ts";
import { verifyDeployment } from "./deployment.ts";
import { drainWrites, metricsByNode, sumMetrics, windowDelta } from "./drain.ts";
import { startFaults } from "./faults.ts";
import { startPrivateStack } from "./hosts.ts";
import type { BenchOptions } from "./options.ts";
import { buildTimeSeries } from "./series.ts";
import { buildAppSummary, loadWarnings } from "./summary.ts";
import { appNodes, type Target, type TargetComponent, targetRoles, targetSamplers, topologyOf } from "./target.ts";
import { judgeThresholds, parseThresholds } from "./thresholds.ts";
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
  /** `results/<run-id>`: what file paths in the summary are relative to (default `dir`). */
  runDir?: string;
  log: (message: string) => void;
  onSecond?: (line: string) => void;
}

const JOURNAL_FIELDS = ["journalEvents", "journalTransactions"];
/** The stateful nodes' flat routing counters and declared staleness bound (`stateful-app/cluster`). */
const ROUTING_FIELDS = ["routingLocal", "routingForwarded", "routingUnavailable", "availabilityStalenessBoundMs"];

const appConfig = (c: RunOneContext): AppRunSummary["appConfig"] => ({
  ...c.options.appEnv,
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
  let priv: Awaited<ReturnType<typeof startPrivateStack>>;
  try {
    priv = await startPrivateStack(c);
  } catch (err) {
    return { summary: null, skipped: `the stack did not start: ${err instanceof Error ? err.message : String(err)}` };
  }
  try {
    return await measure(c, priv.target, priv.driverPlacement);
  } finally {
    await priv.stop();
  }
}

/** Real k6 with the embedded driver's options and result (its callbacks fire after k6 exits). */
function k6Driver(
  c: Pick<RunOneContext, "options" | "dir">,
  onSpawn: (pid: number) => void,
): (o: DriverOptions) => Promise<DriverResult> {
  return (o) => runK6({ ...o, runDir: join(c.dir, `k6-${o.phase}`), onSpawn, dashboard: c.options.k6Dashboard });
}

/**
 * Measures one scenario against a target. The embedded driver runs as a process of its own (an agent) at
 * `driverPlacement`, its own host, or else on this machine: its CPU and event loop are then its own, not shared
 * with the harness's samplers, fault injection and log handling (in this process they were ~6% of the CPU once
 * charged to the driver). k6 is a process of its own anyway.
 */
export async function measure(
  c: RunOneContext,
  t: Target,
  driverPlacement: Placement | null = null,
): Promise<RunOneResult> {
  const stack = t.stack;
  // k6, or the driver agent, runs as its own process: watch it (the harness then only waits).
  const extra: WatchedProcess[] = [];
  const agent =
    c.options.driver === "embedded"
      ? agentDriver({
          placement: driverPlacement ?? LOCAL,
          dir: c.dir,
          onSpawn: (pid) => extra.splice(0, extra.length, { label: "driver", pid }),
        })
      : null;
  const drive = agent ?? k6Driver(c, (pid) => extra.splice(0, extra.length, { label: "k6", pid }));
  const verdict = await verifyApp(t.url);
  const problems = [...verdict.problems, ...(await verifyDeployment(t))];
  if (problems.length > 0) return { summary: null, skipped: `failed verification: ${problems.join("; ")}` };
  const seen: TargetComponent[] = t.components();
  const nodes = () => appNodes(t);

  const tag = Math.random().toString(36).slice(2, 8);
  const eventId = `${c.scenario.name}-${tag}`;
  if (c.scenario.arrival.warmupS > 0) {
    const warmEvent = `warmup-${tag}`;
    await prepareEvent({ baseUrl: t.url, eventId: warmEvent, scenario: c.scenario, allowRemote: t.allowRemote });
    c.log(`warm-up: ${c.scenario.arrival.warmupS} s at ${c.scenario.arrival.warmupRate}/s (not measured)`);
    await drive({
      scenario: c.scenario,
      baseUrl: t.url,
      eventId: warmEvent,
      phase: "warmup",
      seed: c.options.seed,
      allowRemote: t.allowRemote,
    });
  }
  await prepareEvent({ baseUrl: t.url, eventId, scenario: c.scenario, allowRemote: t.allowRemote });
  // The measuring agent loads now, so its start-up CPU is not counted as the driver's in the window.
  await agent?.prepare();

  const recorderStartMs = Date.now();
  // The rest of the machine: everything that is neither the harness (the driver, and all it started) nor the
  // stack. Against an external target the app itself is outside the harness's view, so it is not measured.
  const machine = stack
    ? machineSampler(() => [process.pid, ...stack.processes().map((p) => p.pid), ...extra.map((p) => p.pid)])
    : null;
  const recorder = startRecorder({ samplers: [...targetSamplers(t, extra), ...(machine ? [machine] : [])] });
  const edge = () => ({
    atMs: performance.now(),
    counters: recorder.totals(),
    outside: machine?.outsideUse() ?? new Map<string, OutsideUse>(),
  });
  let roles: Record<string, string> = { ...targetRoles(t), ...(c.options.driver === "k6" ? { k6: "driver" } : {}) };

  const acks: AckRecord[] = [];
  const ackFile = createWriteStream(join(c.dir, "acks.ndjson"));
  // Written once a second, not per ack: every file write's completion wakes the driver's event loop, and on this
  // VM a wake-up costs more CPU than a request.
  let ackLines = "";
  const flushAcks = () => {
    if (ackLines.length === 0) return;
    ackFile.write(ackLines);
    ackLines = "";
  };
  let windowStartMs = Date.now();
  let countersAtStart: Record<string, number> = {};
  let faults: ReturnType<typeof startFaults> | undefined;
  const journalBefore = await sumMetrics(nodes, JOURNAL_FIELDS);
  const routingBefore = await metricsByNode(nodes, ROUTING_FIELDS);
  let driver: DriverResult;
  let search: (SearchResult & { slo: SearchSlo }) | null = null;
  let sold = 0;
  let machineAtStart = edge();
  let machineAtEnd = machineAtStart;
  try {
    await recorder.tick();
    countersAtStart = recorder.totals();
    machineAtStart = edge();
    const measured: Omit<DriverOptions, "scenario" | "phase"> = {
      baseUrl: t.url,
      eventId,
      seed: c.options.seed,
      allowRemote: t.allowRemote,
      onStart: (ms) => {
        windowStartMs = ms;
        if (stack) faults = startFaults(stack, c.scenario.faults, ms, c.log);
        else if (c.scenario.faults.length > 0) c.log("faults skipped: the harness does not control an external target");
      },
      onAck: (a) => {
        acks.push(a);
        ackLines += `${JSON.stringify(a)}\n`;
      },
      onSecond: (s) => {
        flushAcks();
        sold += s.bookings;
        c.onSecond?.(
          `${s.t + 1}s  ${s.requests} req/s  p99 ${s.latencyP99.toFixed(1)} ms  errors ${s.errors}  sold ${sold} (${s.bookings}/s)  in flight ${s.inFlight}`,
        );
      },
    };
    if (c.scenario.search) {
      const slo = resolveSlo(c.scenario.search.slo, c.options.thresholds);
      search = { slo, ...(await runCapacitySearch({ scenario: c.scenario, slo, drive, base: measured, log: c.log })) };
      driver = search.driver;
    } else driver = await drive({ ...measured, scenario: c.scenario, phase: "measure" });
    await recorder.tick();
    machineAtEnd = edge();
  } finally {
    await faults?.stop();
    flushAcks();
    await agent?.close();
    await new Promise((r) => ackFile.end(r));
  }
  roles = { ...roles, ...targetRoles(t) };
  const journalAfter = await sumMetrics(nodes, JOURNAL_FIELDS);
  const routingAfter = await metricsByNode(nodes, ROUTING_FIELDS);

  seen.push(...t.components());
  const drainS = nodes().length > 0 ? await drainWrites(nodes) : 0;
  c.log(drainS === null ? "writes did not drain within 60 s" : `writes drained in ${drainS.toFixed(1)} s`);
  // PostgreSQL backends report pg_stat_database counters lazily (up to 10 s when idle) but always when they
  // exit: stopping the app (the first half of the cold restart) makes the window's last commits count.
  const stopped = await stopApp(c, t);
  await new Promise((r) => setTimeout(r, 300));
  await recorder.tick();
  const countersAtEnd = recorder.totals();
  await recorder.stop();

  const audit = stopped ? await restartAndAudit(c, t, eventId, acks) : crashedAudit(acks, "the app did not stop");
  const faultRecords = faults?.records ?? [];
  const offsetS = (windowStartMs - recorderStartMs) / 1000;
  const series = buildTimeSeries(driver, recorder.rows, offsetS, faultRecords);
  const events = (journalAfter.journalEvents ?? 0) - (journalBefore.journalEvents ?? 0);
  const txs = (journalAfter.journalTransactions ?? 0) - (journalBefore.journalTransactions ?? 0);
  const quotas: Record<string, number> = { postgres: 2, driver: 1 };
  for (const p of stack?.processes() ?? [])
    if (c.scenario.cluster.nodeCpu && p.role !== "postgres") quotas[p.label] = c.scenario.cluster.nodeCpu;

  const base = buildAppSummary({
    scenario: c.scenario.name,
    app: c.app,
    appConfig: appConfig(c),
    driverName: c.options.driver,
    driver,
    countersAtStart,
    countersAtEnd,
    rows: recorder.rows,
    roles,
    journal:
      c.app === "stateful" ? { eventsPerTransaction: txs > 0 ? Math.round((events / txs) * 100) / 100 : null } : null,
    routing:
      c.app === "stateful"
        ? {
            local: windowDelta(routingBefore, routingAfter, "routingLocal"),
            forwarded: windowDelta(routingBefore, routingAfter, "routingForwarded"),
            unavailable: windowDelta(routingBefore, routingAfter, "routingUnavailable"),
          }
        : null,
    // The app declares its bound in /metrics (a single stateful node, CLUSTER=off, and the stateless app: exact).
    stalenessBoundMs: Math.max(
      0,
      ...[...routingBefore.values(), ...routingAfter.values()].map((m) => m.availabilityStalenessBoundMs ?? 0),
    ),
    usesRedis: t.redisUrl !== null,
    audit,
    faults: faultRecords,
  });
  base.topology = topologyOf(t, seen);
  if ("k6" in driver) {
    base.k6 = k6Summary(driver as K6DriverResult, c.runDir ?? c.dir);
    // k6's own record counts the load only (its start-up apart), and its bound is maxVUs: one connection each.
    base.driver = {
      name: "k6",
      cpuUsPerRequest: base.k6.cpuUsPerRequest ?? base.driver.cpuUsPerRequest,
      connections: { model: "k6: one connection per VU", max: base.k6.vus.max },
    };
  }
  base.machine = machine ? machineLoad(cpus().length, machineAtStart, machineAtEnd) : null;
  base.roundTrips = roundTripModel({
    app: c.app,
    writeMode: c.options.writeMode,
    persistence: c.options.persistence,
    forwardedShare: base.routing?.forwardedShare,
  });
  base.warnings = [
    ...loadWarnings(driver, base.cpu.maxPercentByProcess, quotas),
    ...[...recorder.failures].map(([name, err]) => `sampler ${name} failed: ${err}`),
    ...(drainS === null ? ["writes did not drain within 60 s"] : []),
    ...(!stack && c.scenario.faults.length > 0
      ? [`${c.scenario.faults.length} fault(s) skipped: the harness does not control a remote target's processes`]
      : []),
    ...(!stack && nodes().length === 0
      ? ["no --node-url: the app processes' CPU, RSS and pending writes are not known"]
      : []),
  ];
  base.capacity = search?.capacity ?? null;
  base.thresholds = judgeThresholds(parseThresholds(c.scenario.thresholds), c.options.thresholds, base, search);
  await writeFile(join(c.dir, "timeseries.json"), JSON.stringify(series));
  await writeFile(join(c.dir, "histograms.json"), JSON.stringify(driver.histograms));
  return { summary: base, skipped: null };
}

/** Stops every app process gracefully (SIGTERM: the stateful nodes flush their journals). False if that failed. */
async function stopApp(c: RunOneContext, t: Target): Promise<boolean> {
  if (!t.stack) return true;
  try {
    for (const n of [...t.stack.nodes]) await t.stack.stopNode(n.id);
    return true;
  } catch (err) {
    c.log(`stopping the app failed: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}

/**
 * The second half of the cold restart: one fresh node on the same database, and the audit through it. An
 * external target is audited as it stands, through its database when DATABASE_URL is given.
 */
async function restartAndAudit(c: RunOneContext, t: Target, eventId: string, acks: AckRecord[]): Promise<AuditResult> {
  try {
    if (t.stack) {
      await t.stack.addNodes(1);
      c.log("cold restart done; auditing");
    }
    return await auditRun({ app: c.app, baseUrl: t.url, databaseUrl: t.databaseUrl, eventId, acks });
  } catch (err) {
    return crashedAudit(acks, `the audit crashed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A checker that could not run: Jepsen's "unknown", never a silent pass. */
function crashedAudit(acks: AckRecord[], why: string): AuditResult {
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
    notes: [why],
  };
}
