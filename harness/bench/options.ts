import { parseArgs } from "node:util";
import { lbAdmissionFromEnv } from "../infra/haproxy-config.ts";
import type { AppName } from "../results/types.ts";
import { parseRttMs } from "../round-trips/model.ts";
import type { RemoteUrls } from "./target.ts";
import { parseThresholds, type Threshold } from "./thresholds.ts";

/** Everything a bench run can be told on the command line. Defaults are resolved here, once. */
export interface BenchOptions {
  profile: "default" | "quick" | "ci";
  apps: AppName[];
  scenarios: string[] | null;
  rate: number | null;
  durationS: number | null;
  seats: number | null;
  nodes: number | null;
  nodeCpu: number | null;
  writeMode: "queue" | "sync";
  persistence: "sync" | "async";
  granularity: "seat" | "section";
  /** Extra environment for every app process (`--app-env KEY=VALUE`), e.g. JOURNAL_WINDOW_MS or SHARDS. */
  appEnv: Record<string, string>;
  driver: "embedded" | "k6";
  /**
   * `--driver both`: every scenario x app runs on the embedded driver (the results) and again on k6, each on a
   * fresh stack, for the report's driver-agreement section (`summary.agreement`).
   */
  agreement: boolean;
  /** `--k6-dashboard`: k6 also writes its web dashboard's HTML report, linked from the report. */
  k6Dashboard: boolean;
  thresholds: Threshold[];
  /** An already running deployment (compose, other machines): no private stack, no faults, no cold-restart audit. */
  target: RemoteUrls | null;
  /** `netns`: the private stack with each component (and the driver) on its own host, a network namespace. */
  hosts: "local" | "netns";
  outDir: string;
  runId: string;
  seed: number;
  report: boolean;
  /** The datacenter round-trip time the report projects latencies to (a model; summary.json's `roundTrips`). */
  rttMs: number;
}

export const BENCH_HELP = `statebench bench [flags]     run scenarios against both apps and write results/<run-id>/

  --profile default|quick|ci   default: both apps x capacity, flash-sale, node-kill, scale-out (~12 min, 2 cores);
                               quick: the same, small (~2 min); ci: the regression job's short profile
  --app stateless|stateful|both          (default both)
  --scenario NAME[,NAME...]    capacity, flash-sale, node-kill, scale-out, browse-heavy, hot-seats
  --rate N                     peak journeys per second (scales the arrival stages)
  --duration S                 seconds of the measured arrival schedule
  --seats N                    seats of the event
  --nodes N                    app nodes (replicas) at start
  --node-cpu C                 CPU quota per node in cores (e.g. 0.5)
  --write-mode queue|sync      stateless: acknowledge after enqueue (default) or after the PostgreSQL commit
  --persistence sync|async     stateful: acknowledge after the journal commit (default) or before it
  --granularity seat|section   stateful: one actor per seat (default) or per section
  --app-env KEY=VALUE          extra environment for the app processes, repeatable (e.g. JOURNAL_WINDOW_MS=200);
                               admission control: MAX_IN_FLIGHT, MAILBOX_MAX (apps), LB_MAXCONN, LB_MAXQUEUE,
                               LB_TIMEOUT_QUEUE_MS (HAProxy); see README "How each app sheds load"
  --driver embedded|k6|both    load driver (default embedded; k6 must be on PATH or in K6_BIN); both: each
                               scenario x app on the embedded driver, then on k6, compared in the report
  --k6-dashboard               k6 also exports its web dashboard as HTML (k6-measure/dashboard.html)
  --threshold EXPR             SLO, repeatable: "p99<250", "errors<1%", "rps>500"; a broken one exits 99.
                               capacity: latency and errors thresholds replace the search's SLO (default
                               p99<=250, errors<=1%), rps/bookings ones ask that much capacity
  --hosts local|netns          netns: each component (PostgreSQL, Redis, each node, HAProxy, the driver) on its
                               own host, a network namespace with its own address (root, Linux; default local)
  --target remote              benchmark a deployment already running elsewhere, given by:
    --lb-url URL               its load balancer (what clients use)
    --database-url URL         its PostgreSQL, sampled and audited (default: $DATABASE_URL)
    --redis-url URL            its Redis, sampled (default: $REDIS_URL)
    --node-url [ID=]URL        an app process's metrics listener (METRICS_PORT; it answers /health too),
                               repeatable: its CPU and RSS, pending writes, counters
  --target URL                 the same with --lb-url URL (PostgreSQL and Redis from the environment)
  --out DIR                    results folder (default results/)
  --run-id ID                  run folder name (default: a timestamp)
  --seed N                     seed of the journeys' random choices (default 1)
  --no-report                  skip the HTML report
  --rtt-ms MS                  round-trip time the report projects latencies to, as a model (default 0.5)

Exit codes: 0 trustworthy run (an overloaded app is a finding), 1 untrustworthy (an audit failed or could not
decide, the driver fell behind, an app was not benchmarked), 99 a --threshold broke, 2 a usage error.`;

const oneOf = <T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T => {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`--${flag}: expected one of ${allowed.join(", ")}, got "${value}"`);
};

const positive = (flag: string, value: string | undefined, integer: boolean): number | null => {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new Error(`--${flag}: expected a positive ${integer ? "integer" : "number"}, got "${value}"`);
  return n;
};

/**
 * `--app-env KEY=VALUE` pairs as an env (upper-case keys; LB_* admission knobs validated). The bench scripts
 * under bench/ take the same flag through this too.
 */
export function parseAppEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!m) throw new Error(`--app-env: expected KEY=VALUE with an upper-case KEY, got "${pair}"`);
    env[m[1] as string] = m[2] as string;
  }
  // The load balancer's knobs (LB_MAXCONN, ...) are checked here, so a bad one fails before any stack starts.
  lbAdmissionFromEnv(env);
  return env;
}

/** Parses `statebench bench` flags; throws an Error naming the offending flag. */
export function parseBenchOptions(argv: string[], now = new Date()): BenchOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      profile: { type: "string" },
      app: { type: "string" },
      scenario: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      seats: { type: "string" },
      nodes: { type: "string" },
      "node-cpu": { type: "string" },
      "write-mode": { type: "string" },
      persistence: { type: "string" },
      granularity: { type: "string" },
      "app-env": { type: "string", multiple: true },
      driver: { type: "string" },
      "k6-dashboard": { type: "boolean" },
      threshold: { type: "string", multiple: true },
      target: { type: "string" },
      hosts: { type: "string" },
      "lb-url": { type: "string" },
      "database-url": { type: "string" },
      "redis-url": { type: "string" },
      "node-url": { type: "string", multiple: true },
      out: { type: "string" },
      "run-id": { type: "string" },
      seed: { type: "string" },
      "no-report": { type: "boolean" },
      "rtt-ms": { type: "string" },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}" (flags start with --)`);
  const app = oneOf("app", values.app, ["stateless", "stateful", "both"] as const, "both");
  const target = parseTarget(values);
  if (target !== null && app === "both")
    throw new Error("--target: name the app running there with --app stateless|stateful");
  const driver = oneOf("driver", values.driver, ["embedded", "k6", "both"] as const, "embedded");
  const hosts = oneOf("hosts", values.hosts, ["local", "netns"] as const, "local");
  if (hosts === "netns" && target !== null)
    throw new Error("--hosts netns: starts its own stack on private hosts; --target benchmarks one already running");
  if (hosts === "netns" && driver !== "embedded")
    throw new Error(`--hosts netns: the driver on its own host is the embedded one; drop --driver ${driver}`);
  const runId = values["run-id"] ?? now.toISOString().replace(/[:.]/g, "-").replace("T", "_").slice(0, 19);
  if (!/^[A-Za-z0-9_.-]+$/.test(runId))
    throw new Error(`--run-id: letters, digits, "_", "-", "." only, got "${runId}"`);
  return {
    profile: oneOf("profile", values.profile, ["default", "quick", "ci"] as const, "default"),
    apps: app === "both" ? ["stateless", "stateful"] : [app],
    scenarios: values.scenario ? values.scenario.split(",").map((s) => s.trim()) : null,
    rate: positive("rate", values.rate, false),
    durationS: positive("duration", values.duration, false),
    seats: positive("seats", values.seats, true),
    nodes: positive("nodes", values.nodes, true),
    nodeCpu: positive("node-cpu", values["node-cpu"], false),
    writeMode: oneOf("write-mode", values["write-mode"], ["queue", "sync"] as const, "queue"),
    persistence: oneOf("persistence", values.persistence, ["sync", "async"] as const, "sync"),
    granularity: oneOf("granularity", values.granularity, ["seat", "section"] as const, "seat"),
    appEnv: parseAppEnv(values["app-env"] ?? []),
    driver: driver === "both" ? "embedded" : driver,
    agreement: driver === "both",
    k6Dashboard: values["k6-dashboard"] === true,
    thresholds: parseThresholds(values.threshold ?? []),
    target,
    hosts,
    outDir: values.out ?? "results",
    runId,
    seed: positive("seed", values.seed, true) ?? 1,
    report: !values["no-report"],
    rttMs: parseRttMs(values["rtt-ms"]),
  };
}

const url = (flag: string, value: string, protocols: string[]): string => {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`--${flag}: expected a URL (${protocols.join(" or ")}), got "${value}"`);
  }
  if (!protocols.includes(u.protocol.replace(/:$/, "")))
    throw new Error(`--${flag}: expected a ${protocols.join(" or ")} URL, got "${value}"`);
  return value;
};

/** `--target remote` with its URLs, or `--target URL` (the balancer; PostgreSQL and Redis from the environment). */
function parseTarget(v: Record<string, string | string[] | boolean | undefined>): RemoteUrls | null {
  const target = v.target as string | undefined;
  const parts = ["lb-url", "database-url", "redis-url", "node-url"].filter((f) => v[f] !== undefined);
  if (target === undefined) {
    if (parts.length > 0) throw new Error(`--${parts[0]}: only with --target remote`);
    return null;
  }
  const env = process.env;
  if (target !== "remote") {
    if (parts.length > 0) throw new Error(`--${parts[0]}: only with --target remote (--target URL names the balancer)`);
    url("target", target, ["http", "https"]);
    return { lb: target, databaseUrl: env.DATABASE_URL ?? null, redisUrl: env.REDIS_URL ?? null, nodes: {} };
  }
  const lb = v["lb-url"] as string | undefined;
  if (!lb) throw new Error("--target remote: --lb-url URL is required (the load balancer clients use)");
  const nodes: Record<string, string> = {};
  for (const [i, entry] of ((v["node-url"] as string[] | undefined) ?? []).entries()) {
    const m = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(entry);
    const id = m?.[1] ?? `node-${i + 1}`;
    if (nodes[id]) throw new Error(`--node-url: node id "${id}" given twice`);
    nodes[id] = url("node-url", m?.[2] ?? entry, ["http", "https"]);
  }
  const db = (v["database-url"] as string | undefined) ?? env.DATABASE_URL;
  const redis = (v["redis-url"] as string | undefined) ?? env.REDIS_URL;
  return {
    lb: url("lb-url", lb, ["http", "https"]),
    databaseUrl: db ? url("database-url", db, ["postgres", "postgresql"]) : null,
    redisUrl: redis ? url("redis-url", redis, ["redis", "rediss"]) : null,
    nodes,
  };
}
