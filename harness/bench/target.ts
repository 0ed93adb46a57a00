import type { Topology, TopologyComponent } from "../results/types.ts";
import {
  haproxySampler,
  metricsSampler,
  postgresSampler,
  processSampler,
  redisSampler,
  type Sampler,
  type WatchedProcess,
} from "../samplers/index.ts";
import type { Stack } from "../stack/index.ts";

/** One component of a target: where it is, and how its CPU/RSS are read (pid for `proc`, url for `metrics`). */
export interface TargetComponent extends TopologyComponent {
  pid?: number;
  /** Base URL where an app process serves /metrics and /health (its metrics listener when it has one). */
  url?: string;
}

/**
 * What a measurement runs against: a private stack the harness started (faults, cold-restart audit), on this
 * machine's loopback or with each component on its own host; or a deployment elsewhere known by its URLs
 * (`--target remote`), where only what the URLs give access to is sampled, drained and audited.
 */
export interface Target {
  url: string;
  /** The stack the harness controls (faults, cold restart), null for a remote deployment. */
  stack: Stack | null;
  databaseUrl: string | null;
  redisUrl: string | null;
  allowRemote: boolean;
  mode: Topology["mode"];
  subnet: string | null;
  /** Every component now (nodes come and go), the driver included. */
  components(): TargetComponent[];
}

/** App process roles: reached over HTTP for pending writes and counters. */
const APP_ROLES = new Set(["api", "worker", "node"]);

/**
 * The driver: on this machine unless it runs elsewhere (`driver` overrides). It is a process of its own (the
 * embedded driver's agent, or k6) that the caller watches once it runs, so the component names no pid.
 */
export type DriverComponent = Pick<TargetComponent, "host" | "pid" | "sampledBy">;
const LOCAL_DRIVER: DriverComponent = { host: "local", sampledBy: "proc" };

/**
 * A private stack. On loopback every process is read from /proc. With each component on its own host
 * (`netns`), the harness reads them as a remote deployment would: the app processes through their own
 * Prometheus `/metrics`, Redis through INFO; PostgreSQL and HAProxy expose no process CPU of their own, so they
 * are read from /proc (a network namespace shares the machine's pids; a real deployment would run an exporter).
 */
export function stackTarget(
  stack: Stack,
  opts: {
    mode?: "local" | "netns";
    subnet?: string | null;
    driver?: () => DriverComponent;
    /** Watch this process as `harness` (it orchestrates and audits while the driver runs elsewhere). */
    harness?: boolean;
  } = {},
): Target {
  const mode = opts.mode ?? "local";
  const remoteLike = mode === "netns";
  const driver = opts.driver ?? (() => LOCAL_DRIVER);
  return {
    url: stack.url,
    stack,
    databaseUrl: stack.databaseUrl,
    redisUrl: stack.redisUrl,
    allowRemote: remoteLike,
    mode,
    subnet: opts.subnet ?? null,
    components: () => [
      ...stack.processes().map((p): TargetComponent => {
        const isApp = p.role !== "postgres" && p.role !== "redis" && p.role !== "haproxy";
        const sampledBy = !remoteLike ? "proc" : isApp ? "metrics" : p.role === "redis" ? "redis-info" : "proc";
        return {
          label: p.label,
          role: p.role,
          host: p.host,
          address: p.address,
          sampledBy,
          pid: p.pid,
          // Its own listener for /metrics and /health: the public port no longer serves /metrics.
          ...(isApp ? { url: p.metricsUrl ?? p.address } : {}),
        };
      }),
      { label: "driver", role: "driver", address: null, ...driver() },
      ...(opts.harness
        ? [
            {
              label: "harness",
              role: "harness",
              host: "local",
              address: null,
              sampledBy: "proc" as const,
              pid: process.pid,
            },
          ]
        : []),
    ],
  };
}

/** A deployment elsewhere, by its URLs (`--target remote`). Node URLs are optional: /metrics, drain, counters. */
export interface RemoteUrls {
  lb: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  /** App processes by id, e.g. `{ "node-1": "http://10.0.0.5:3000" }`. */
  nodes: Record<string, string>;
  /** Their role (`api`, `worker`, `node`); default `node`. */
  nodeRole?: string;
}

const hostOf = (url: string) => new URL(url).hostname;
const hostPortOf = (url: string) => new URL(url).host;

export function remoteTarget(r: RemoteUrls): Target {
  const lb = r.lb.replace(/\/+$/, "");
  const fixed: TargetComponent[] = [
    { label: "haproxy", role: "haproxy", host: hostOf(lb), address: lb, sampledBy: "none" },
    ...(r.databaseUrl
      ? [
          {
            label: "postgres",
            role: "postgres",
            host: hostOf(r.databaseUrl),
            address: hostPortOf(r.databaseUrl),
            sampledBy: "none" as const,
          },
        ]
      : []),
    ...(r.redisUrl
      ? [
          {
            label: "redis",
            role: "redis",
            host: hostOf(r.redisUrl),
            address: hostPortOf(r.redisUrl),
            sampledBy: "redis-info" as const,
          },
        ]
      : []),
    ...Object.entries(r.nodes).map(([id, url]) => {
      const base = url.replace(/\/+$/, "");
      return {
        label: id,
        role: r.nodeRole ?? "node",
        host: hostOf(base),
        address: base,
        url: base,
        sampledBy: "metrics" as const,
      };
    }),
    { label: "driver", role: "driver", address: null, ...LOCAL_DRIVER },
  ];
  return {
    url: lb,
    stack: null,
    databaseUrl: r.databaseUrl,
    redisUrl: r.redisUrl,
    allowRemote: true,
    mode: "remote",
    subnet: null,
    components: () => fixed,
  };
}

/** `--target URL` as before: the balancer's URL, PostgreSQL and Redis from DATABASE_URL / REDIS_URL. */
export function externalTarget(url: string, env: NodeJS.ProcessEnv = process.env): Target {
  return remoteTarget({ lb: url, databaseUrl: env.DATABASE_URL ?? null, redisUrl: env.REDIS_URL ?? null, nodes: {} });
}

/** The app processes reached over HTTP (pending writes, journal and routing counters). */
export function appNodes(t: Target): Array<{ id: string; url: string }> {
  return t
    .components()
    .filter((c) => c.url && APP_ROLES.has(c.role))
    .map((c) => ({ id: c.label, url: c.url as string }));
}

/** Samplers for what the target exposes; `extra` are processes of this machine to watch too (k6). */
export function targetSamplers(t: Target, extra: WatchedProcess[] = []): Sampler[] {
  const stack = t.stack;
  const by = (s: TopologyComponent["sampledBy"]) => t.components().filter((c) => c.sampledBy === s);
  const redisSelf = t.components().find((c) => c.role === "redis" && c.sampledBy === "redis-info");
  const procs = (): WatchedProcess[] => [
    ...by("proc")
      .filter((c) => c.pid !== undefined)
      .map((c) => ({ label: c.label, pid: c.pid as number, tree: c.role === "postgres" })),
    ...extra,
  ];
  return [
    ...(t.databaseUrl ? [postgresSampler(t.databaseUrl)] : []),
    ...(t.redisUrl ? [redisSampler(t.redisUrl, redisSelf ? { process: redisSelf.label } : {})] : []),
    ...(stack
      ? [
          haproxySampler(async () =>
            (await stack.haproxy.stats()).map((s) => ({
              server: s.id,
              sessions: s.sessions,
              errors: s.connectionErrors + s.responseErrors,
              current: s.currentSessions,
            })),
          ),
        ]
      : []),
    processSampler(procs),
    metricsSampler(() => by("metrics").flatMap((c) => (c.url ? [{ label: c.label, url: c.url }] : []))),
  ];
}

/** Process label -> role, for CPU/RSS by role. */
export function targetRoles(t: Target): Record<string, string> {
  return Object.fromEntries(t.components().map((c) => [c.label, c.role]));
}

/** The topology for the summary: components seen at any point of the run (a killed node included), by label. */
export function topologyOf(t: Target, seen: TargetComponent[]): Topology {
  const byLabel = new Map<string, TopologyComponent>();
  for (const c of [...seen, ...t.components()])
    byLabel.set(c.label, { label: c.label, role: c.role, host: c.host, address: c.address, sampledBy: c.sampledBy });
  return { mode: t.mode, subnet: t.subnet, components: [...byLabel.values()] };
}
