import { type ChildProcess, spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scenarioToJson } from "../../scenarios/index.ts";
import { MAX_JOURNEYS_IN_FLIGHT, vuSizing } from "../../scenarios/k6/options.js";
import { capacity, type Scenario } from "../../scenarios/types.ts";
import { checkTarget } from "../driver/http.ts";
import { phasePlan, planSeconds } from "../driver/schedule.ts";
import type { DriverOptions, DriverResult } from "../driver/types.ts";
import { findK6 } from "./find.ts";
import { parseK6Ndjson } from "./parse.ts";
import { type K6SummaryExport, readK6Summary } from "./summary.ts";
import { k6Acks, k6ResultToDriverResult } from "./to-driver-result.ts";

/** The k6 script statebench runs. */
export const K6_SCRIPT = fileURLToPath(new URL("../../scenarios/k6/script.js", import.meta.url));

/**
 * The system tags k6 puts on its samples, cut to the ones the parser reads (parse.ts): k6's default set adds url,
 * method, proto, group, check, expected_response, tls_version, ... to every line of `--out json`, which k6 then
 * encodes for every one of the ~12 samples of each request. Script tags (op, type, code, outcome) are unaffected.
 */
export const K6_SYSTEM_TAGS = "scenario,name,status,error_code";

/**
 * `runDriver`'s options plus where k6 writes its files. `onSecond` and `onAck` are called after k6 exits (k6
 * writes its samples to a file, read once at the end), `onStart` when the script's setup() reaches the
 * harness's beacon, right before k6 starts the phase's scenario.
 */
export interface K6DriverOptions extends DriverOptions {
  /** Folder for scenario.json, points.ndjson.gz, summary-export.json, k6.log (created when missing). */
  runDir: string;
  /** k6 executable; default K6_BIN, then `k6` on PATH. */
  k6Bin?: string;
  /** Extra environment for k6 (K6_* options, proxies); statebench's own variables win. */
  env?: Record<string, string>;
  /**
   * Write k6's web dashboard as a self-contained HTML report to `<runDir>/dashboard.html` (K6_WEB_DASHBOARD with
   * its HTTP port disabled, so k6 neither listens nor waits for a browser before exiting).
   */
  dashboard?: boolean;
  /** Called with k6's pid once it runs (for the process sampler). */
  onSpawn?: (pid: number) => void;
}

export interface K6Extras {
  bin: string;
  exitCode: number | null;
  /** k6's CPU seconds before the load started (process start, VU initialisation), not in `health.cpuS`. */
  startupCpuS: number | null;
  /** k6's CPU µs per request during the load (the summary's `driver.cpuUsPerRequest` for k6). */
  cpuUsPerRequest: number | null;
  /** k6's http_req_connecting over the whole run (summary export), ms; null without the file. */
  connectingMs: { p50: number; p99: number; max: number } | null;
  /** VUs k6 was given: pre-allocated (Little's law) and the most it may use (the embedded driver's bound). */
  vus: { preAllocated: number; max: number; peak: number };
  /** k6's own threshold verdicts (from --summary-export), empty when the file is missing. */
  thresholds: K6SummaryExport["thresholds"];
  files: { scenario: string; points: string; summary: string; log: string; dashboard: string | null };
}

export type K6DriverResult = DriverResult & { k6: K6Extras };

// k6 exit codes (errext/exitcodes): 99 thresholds failed (the results are still complete), 105 stopped by a
// signal (ours, on sold-out or abort).
const OK_EXIT = new Set([0, 99, 105]);
const CLOCK_TICKS = 100;

async function cpuSecondsOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** The phase's arrival profile, rescaled by `rateOverride`, written back into the scenario k6 reads. */
function phaseScenario(s: Scenario, phase: DriverOptions["phase"], rateOverride?: number): Scenario {
  const plan = phasePlan(s, phase, rateOverride);
  const out = structuredClone(s);
  out.arrival.maxJourneys = plan.maxJourneys;
  if (phase === "warmup") out.arrival.warmupRate = plan.startRate;
  else {
    out.arrival.startRate = plan.startRate;
    out.arrival.stages = plan.stages;
  }
  return out;
}

/** A one-shot local HTTP endpoint the script's setup() calls when the load is about to start. */
async function startBeacon(onHit: (atMs: number) => void) {
  let hit = false;
  const server = createServer((_req, res) => {
    if (!hit) {
      hit = true;
      onHit(Date.now());
    }
    res.writeHead(204).end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/start`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * Runs one phase of a scenario on real k6 and returns the embedded driver's `DriverResult` (plus k6's exit code,
 * threshold verdicts and file paths), so the bench can use either driver. Throws `K6NotFoundError` when there is
 * no k6. The event must exist (`prepareEvent`). Bounded: the phase's schedule, k6's graceful stop (request
 * timeout + 2 s), then SIGINT, then SIGKILL 30 s later.
 */
export async function runK6(opts: K6DriverOptions): Promise<K6DriverResult> {
  const bin = findK6(opts.k6Bin);
  checkTarget(opts.baseUrl, opts.allowRemote);
  const seed = opts.seed ?? randomInt(2 ** 31);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const scenario = phaseScenario(opts.scenario, opts.phase, opts.rateOverride);
  const plan = phasePlan(scenario, opts.phase);
  const scheduleMs = planSeconds(plan) * 1000;
  await mkdir(opts.runDir, { recursive: true });
  const files = {
    scenario: join(opts.runDir, "scenario.json"),
    points: join(opts.runDir, "points.ndjson.gz"),
    summary: join(opts.runDir, "summary-export.json"),
    log: join(opts.runDir, "k6.log"),
    dashboard: opts.dashboard ? join(opts.runDir, "dashboard.html") : null,
  };
  await writeFile(files.scenario, scenarioToJson(scenario));
  const warnings: string[] = [];
  if (scheduleMs === 0 || Math.max(plan.startRate, ...plan.stages.map((st) => st.target)) === 0) {
    // Nothing to run (no warm-up): k6 given no scenario would run its default single iteration instead.
    const none = await parseK6Ndjson([]);
    none.windowStartMs = none.lastMs = Date.now();
    const empty = k6ResultToDriverResult(none, {
      phase: opts.phase,
      seed,
      scheduleS: 0,
      endedBy: "schedule",
    });
    const vus = { preAllocated: 0, max: 0, peak: 0 };
    return {
      ...empty,
      k6: {
        bin,
        exitCode: null,
        thresholds: [],
        files,
        startupCpuS: null,
        connectingMs: null,
        cpuUsPerRequest: null,
        vus,
      },
    };
  }

  let windowStartMs: number | null = null;
  let endedBy: DriverResult["window"]["endedBy"] = "schedule";
  let soldOutAtMs: number | null = null;
  let child: ChildProcess | null = null;
  const timers: NodeJS.Timeout[] = [];
  const stop = (why: DriverResult["window"]["endedBy"]) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (endedBy === "schedule") endedBy = why;
    child.kill("SIGINT"); // k6 stops gracefully: outputs and the summary are still written
    timers.push(setTimeout(() => child?.kill("SIGKILL"), 30_000));
  };

  const pollSoldOut = opts.phase === "measure" && (opts.pollSoldOut ?? true);
  const seats = capacity(scenario);
  let polling = false;
  const poll = async () => {
    if (polling || soldOutAtMs !== null || windowStartMs === null) return;
    polling = true;
    try {
      const res = await fetch(`${opts.baseUrl.replace(/\/+$/, "")}/events/${encodeURIComponent(opts.eventId)}`, {
        signal: AbortSignal.timeout(2_000),
      });
      const body = (await res.json()) as { sold?: number; capacity?: number };
      const cap = typeof body.capacity === "number" ? body.capacity : seats;
      if (res.status === 200 && typeof body.sold === "number" && cap > 0 && body.sold >= cap) {
        soldOutAtMs = Date.now() - windowStartMs;
        const tailEnd = soldOutAtMs + scenario.tailS * 1000;
        if (scenario.stopWhenSoldOut && tailEnd < scheduleMs)
          timers.push(setTimeout(() => stop("sold-out"), tailEnd - soldOutAtMs));
      }
    } catch (err) {
      if (warnings.length < 20) warnings.push(`sold-out poll failed: ${(err as Error).message}`);
    } finally {
      polling = false;
    }
  };

  // k6's CPU when the load starts: its start-up (VU initialisation, ~3 ms of CPU a VU) is not the load's cost.
  let cpuAtStartS: number | null = null;
  const beacon = await startBeacon((atMs) => {
    windowStartMs = atMs;
    if (child?.pid) void cpuSecondsOf(child.pid).then((s) => (cpuAtStartS = s));
    try {
      opts.onStart?.(atMs);
    } catch (err) {
      warnings.push(`onStart threw: ${(err as Error).message}`);
    }
    if (pollSoldOut) timers.push(setInterval(() => void poll(), 1000));
  });
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...opts.env,
    K6_NO_USAGE_REPORT: "true",
    SCENARIO_FILE: files.scenario,
    BASE_URL: opts.baseUrl,
    EVENT_ID: opts.eventId,
    WARMUP_EVENT_ID: opts.eventId,
    PHASE: opts.phase,
    RUN_SEED: String(seed),
    REQUEST_TIMEOUT_MS: String(timeoutMs),
    STATEBENCH_BEACON: beacon.url,
    K6_SYSTEM_TAGS,
  };
  if (files.dashboard) {
    env.K6_WEB_DASHBOARD = "true";
    env.K6_WEB_DASHBOARD_PORT = "-1";
    env.K6_WEB_DASHBOARD_EXPORT = files.dashboard;
    // k6 skips the report when the run is shorter than a few aggregation periods (default 10 s): quick runs are.
    env.K6_WEB_DASHBOARD_PERIOD ??= "1s";
  }
  // maxVUs = the embedded driver's in-flight bound; preAllocatedVUs by Little's law unless set (vuSizing).
  const maxVUs = opts.maxInFlight ?? MAX_JOURNEYS_IN_FLIGHT;
  env.STATEBENCH_MAX_VUS = String(maxVUs);
  const sizing = vuSizing(Math.max(plan.startRate, ...plan.stages.map((st) => st.target)), scenario.journey, {
    maxVUs,
    preAllocatedVUs: Number(env.STATEBENCH_PREALLOCATED_VUS ?? 0),
  });
  const args = ["run", "--no-color", "--out", `json=${files.points}`, `--summary-export=${files.summary}`, K6_SCRIPT];

  let cpuS: number | null = null;
  let exitCode: number | null = null;
  const log: Buffer[] = [];
  try {
    child = spawn(bin, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const proc = child;
    proc.stdout?.on("data", (d: Buffer) => log.push(d));
    proc.stderr?.on("data", (d: Buffer) => log.push(d));
    const exited = once(proc, "close") as Promise<[number | null, NodeJS.Signals | null]>;
    const spawnError = once(proc, "error").then(([e]) => {
      throw e;
    });
    if (proc.pid) opts.onSpawn?.(proc.pid);
    const onAbort = () => stop("aborted");
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener("abort", onAbort, { once: true });
    // CPU of the k6 process, read while it lives (the last reading is its total).
    timers.push(
      setInterval(async () => {
        if (proc.pid) cpuS = (await cpuSecondsOf(proc.pid)) ?? cpuS;
      }, 200),
    );
    // Hard bound: the phase's schedule, k6's graceful stop, and a minute for k6's start-up and output flush.
    timers.push(setTimeout(() => stop("aborted"), scheduleMs + timeoutMs + 2_000 + 60_000));
    const [code, signal] = await Promise.race([exited, spawnError]);
    opts.signal?.removeEventListener("abort", onAbort);
    exitCode = code ?? (signal ? 128 : null);
  } finally {
    for (const t of timers) clearTimeout(t);
    await beacon.close();
    await writeFile(files.log, Buffer.concat(log));
  }
  const tail = Buffer.concat(log).toString("utf8").split("\n").slice(-15).join("\n");
  if (exitCode === null || !OK_EXIT.has(exitCode))
    throw new Error(`k6 exited with ${exitCode} (log: ${files.log}):\n${tail}`);
  if (!existsSync(files.points)) throw new Error(`k6 wrote no ${files.points} (log: ${files.log}):\n${tail}`);

  const run = await parseK6Ndjson(files.points, { scenario: opts.phase === "warmup" ? "warmup" : "measured" });
  let thresholds: K6SummaryExport["thresholds"] = [];
  let vusMax = 0;
  let connectingMs: K6Extras["connectingMs"] = null;
  if (existsSync(files.summary)) {
    const summary = await readK6Summary(files.summary);
    thresholds = summary.thresholds;
    vusMax = summary.metrics.vus_max?.max ?? 0;
    const c = summary.metrics.http_req_connecting;
    if (c) connectingMs = { p50: c.med ?? 0, p99: c["p(99)"] ?? 0, max: c.max ?? 0 };
  } else warnings.push("k6 wrote no summary export");
  if (files.dashboard && !existsSync(files.dashboard)) warnings.push(`k6 wrote no web dashboard ${files.dashboard}`);
  // The load's CPU only: from the beacon (every VU initialised) to k6's exit (its output flushed).
  const loadCpuS = cpuS !== null && cpuAtStartS !== null ? Math.max(0, cpuS - cpuAtStartS) : cpuS;
  if ((run.counters.journeys_capped ?? 0) > 0 && endedBy === "schedule") endedBy = "max-journeys";
  const origin = run.windowStartMs;
  const ranMs = Math.min(scheduleMs, Math.max(0, run.lastMs - origin));
  const result = k6ResultToDriverResult(run, {
    phase: opts.phase,
    seed,
    scheduleS: Math.round(endedBy === "schedule" ? scheduleMs : ranMs) / 1000,
    endedBy,
    sellOutS: soldOutAtMs === null ? null : Math.round(soldOutAtMs) / 1000,
    cpuS: loadCpuS,
    warnings,
  });
  if (vusMax > sizing.preAllocatedVUs)
    result.warnings.push(
      `k6 initialised ${vusMax - sizing.preAllocatedVUs} VUs beyond the ${sizing.preAllocatedVUs} pre-allocated ` +
        "during the load (journeys are dropped while a VU starts)",
    );
  for (const a of k6Acks(run, opts.ackOriginMs ?? origin)) {
    try {
      opts.onAck?.(a);
    } catch (err) {
      result.warnings.push(`onAck threw: ${(err as Error).message}`);
      break;
    }
  }
  try {
    for (const s of result.seconds) opts.onSecond?.(s);
  } catch (err) {
    result.warnings.push(`onSecond threw: ${(err as Error).message}`);
  }
  const k6: K6Extras = {
    bin,
    exitCode,
    thresholds,
    files,
    startupCpuS: cpuAtStartS,
    connectingMs,
    cpuUsPerRequest:
      loadCpuS !== null && result.requests.total > 0 ? Math.round((loadCpuS * 1e6) / result.requests.total) : null,
    vus: { preAllocated: sizing.preAllocatedVUs, max: sizing.maxVUs, peak: result.health.peakInFlight },
  };
  return { ...result, k6 };
}
