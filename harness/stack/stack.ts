import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  ensureRunDir,
  type Haproxy,
  LOCAL,
  lbAdmissionFromEnv,
  type Placement,
  type PostgresServer,
  type RedisServer,
  removeDir,
  startHaproxy,
  startPostgres,
  startRedis,
} from "../infra/index.ts";
import { APPS, type AppDefinition, type AppKnobs, type AppName, type AppRegistry, type NodeRole } from "./apps.ts";
import { type AppNode, type LaunchOptions, launchNode, type RunningNode } from "./node-process.ts";

/** Options for `startStack`. Knobs left unset keep the app's own defaults. */
export interface StackOptions extends AppKnobs {
  app: AppName;
  /** Processes behind HAProxy: stateless API replicas or stateful actor nodes. */
  nodes: number;
  /** stateless only: BullMQ worker processes (default 1). */
  workers?: number;
  /** CPU quota per app process in cores (e.g. 0.5); null/undefined for none. */
  nodeCpu?: number | null;
  /** Extra env for every app process (wins over the stack's). */
  env?: Record<string, string>;
  /** Node flags for every app process (`--cpu-prof --cpu-prof-dir=DIR`; not allowed in NODE_OPTIONS). */
  nodeArgs?: readonly string[];
  /** Logs go to `<runDir>/logs/<id>.log`. Default: a fresh temp folder, removed by `stop()` unless `keepRunDir`. */
  runDir?: string;
  keepRunDir?: boolean;
  /** How long each process may take to answer GET /health (default 30 s). */
  readyTimeoutMs?: number;
  /** Replaces the app table (tests use a fake app). */
  registry?: AppRegistry;
  /** Project root the entries are relative to (default: this repository). */
  root?: string;
  /** Where warnings go (default: stderr). */
  warn?: (message: string) => void;
  /**
   * Where each component runs, by name: `postgres`, `redis`, `lb` (HAProxy and the routing-table publisher
   * beside it) and each app process's id (`node-1`, `worker-1`). Default: everything on 127.0.0.1.
   */
  place?: (component: string) => Placement;
}

/** One process of the stack, for the CPU/RSS sampler. PostgreSQL's pid is the postmaster (backends are its children). */
export interface StackProcess {
  label: string;
  pid: number;
  role: NodeRole | "postgres" | "redis" | "haproxy";
  /** The host it runs on (`local` when everything shares 127.0.0.1). */
  host: string;
  /** What it listens on: an HTTP base URL for app processes, host:port for the servers. */
  address: string;
  /** App processes: where their `/metrics` (and `/health`) is served, off the public port. */
  metricsUrl?: string;
}

/** A running app behind HAProxy with its infrastructure. `stop()` is idempotent. */
export interface Stack {
  /** HAProxy's address: what clients use. */
  url: string;
  app: AppName;
  runDir: string;
  databaseUrl: string;
  /** Null for an app that does not use Redis. */
  redisUrl: string | null;
  /** The node-to-node secret the stack gave its stateful nodes (CLUSTER_SECRET). */
  clusterSecret: string;
  haproxy: Haproxy;
  /** App processes still running (workers included, the routing-table publisher not), in start order. */
  readonly nodes: AppNode[];
  /** The process beside HAProxy (the stateful app's routing-table publisher), or null. */
  readonly sidecar: AppNode | null;
  /** Starts `n` more nodes and adds them to HAProxy once healthy. */
  addNodes(n: number): Promise<AppNode[]>;
  /** Sends a signal (default SIGKILL) to one process; waits for it to exit when the signal is fatal. HAProxy finds
   * out through its health checks, as it would in production. SIGSTOP/SIGCONT pause and resume. */
  killNode(id: string, signal?: NodeJS.Signals): Promise<void>;
  /** Graceful leave: drain in HAProxy, SIGTERM, wait for exit, then remove from HAProxy. */
  stopNode(id: string): Promise<void>;
  /** Every process of the stack with its pid (app processes, postgres, redis, haproxy). */
  processes(): StackProcess[];
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, "..", "..");
const NON_FATAL = new Set<string>(["SIGSTOP", "SIGCONT", "SIGTSTP", "SIGUSR1", "SIGUSR2", "SIGHUP", "SIGWINCH"]);

/**
 * Waits for every start, then throws the first failure: unlike Promise.all, nothing is still starting when the
 * caller cleans up, so no process escapes the stop.
 */
async function settleAll<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** Fails before any server starts when an entry file is missing, naming it. */
function checkEntries(def: AppDefinition, root: string, workers: number): void {
  const entries = [
    def.node.entry,
    ...(def.worker && workers > 0 ? [def.worker.entry] : []),
    ...(def.sidecar ? [def.sidecar.entry] : []),
  ];
  for (const entry of entries) {
    if (!existsSync(join(root, entry))) {
      throw new Error(`${entry} is not built yet (the ${def.name} app needs ${join(root, entry)})`);
    }
  }
}

/**
 * Starts PostgreSQL, Redis (when the app uses it) and HAProxy, then the app's processes, each added to HAProxy
 * once its GET /health answers 200.
 * @example
 * const stack = await startStack({ app: "stateful", nodes: 3, nodeCpu: 0.5 });
 * await stack.killNode("node-2");
 * await stack.stop();
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const registry = opts.registry ?? APPS;
  const def = registry[opts.app];
  if (!def) throw new Error(`unknown app "${opts.app}" (expected ${Object.keys(registry).join(" or ")})`);
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1) throw new Error(`nodes must be an integer >= 1`);
  const root = opts.root ?? ROOT;
  const workers = def.worker ? (opts.workers ?? 1) : 0;
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`statebench: warning: ${m}\n`));
  const place = opts.place ?? (() => LOCAL);
  if (!def.worker && opts.workers) warn(`the ${def.name} app has no workers; --workers ${opts.workers} ignored`);
  checkEntries(def, root, workers);
  // Before anything starts: a bad LB_* value is an error naming the variable.
  const lbAdmission = lbAdmissionFromEnv(opts.env ?? {});

  const { dir: runDir, owned } = await ensureRunDir(opts.runDir);
  mkdirSync(join(runDir, "logs"), { recursive: true });
  let pg: PostgresServer | null = null;
  let redis: RedisServer | null = null;
  let lb: Haproxy | null = null;
  const all: RunningNode[] = [];
  const counters = new Map<string, number>();
  const order: string[] = [];
  const launch: LaunchOptions = {
    root,
    runDir,
    extraEnv: opts.env ?? {},
    cpu: opts.nodeCpu ?? null,
    cgroupPrefix: `statebench-${randomBytes(3).toString("hex")}`,
    readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
    nodeArgs: opts.nodeArgs,
    warn,
  };

  const nextId = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}-${n}`;
  };
  const clusterSecret = randomBytes(24).toString("base64url");
  const start = async (kind: AppDefinition["node"], behindLb: boolean): Promise<RunningNode> => {
    if (!pg || !lb) throw new Error("stack is not running");
    const ctx = {
      databaseUrl: pg.url,
      redisUrl: redis?.url ?? null,
      knobs: opts,
      clusterSecret,
      haproxy: { runtime: lb.socketPath, map: lb.mapPath, backend: lb.backend },
    };
    const id = nextId(kind.idPrefix);
    order.push(id);
    // The sidecar is infrastructure beside HAProxy: no app CPU quota.
    const isSidecar = kind === def.sidecar;
    const node = await launchNode(
      kind,
      id,
      ctx,
      isSidecar ? { ...launch, cpu: null } : launch,
      place(isSidecar ? "lb" : id),
    );
    // Keep start order (node-1, node-2, ...) although nodes become ready in any order.
    all.push(node);
    all.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    if (behindLb) await lb.addBackend({ id: node.id, url: node.url });
    return node;
  };
  const find = (id: string): RunningNode => {
    const node = all.find((n) => n.id === id);
    if (!node) throw new Error(`no node ${id} (known: ${all.map((n) => n.id).join(", ")})`);
    return node;
  };
  const release = async (node: RunningNode) => {
    await node.exited;
    node.cpu?.remove();
  };

  let stopping: Promise<void> | null = null;
  const stopAll = () => {
    stopping ??= (async () => {
      // App processes first, so they do not log database errors while PostgreSQL goes away.
      await Promise.all(all.map((n) => n.handle.stop({ signal: "SIGTERM", timeoutMs: 10_000 }).then(() => release(n))));
      await Promise.all([lb?.stop(), redis?.stop(), pg?.stop()]);
      if (owned && !opts.keepRunDir) await removeDir(runDir);
    })();
    return stopping;
  };

  const pgPlace = place("postgres");
  const redisPlace = def.needsRedis ? place("redis") : LOCAL;
  const lbPlace = place("lb");
  try {
    await settleAll([
      startPostgres({ runDir, placement: pgPlace }).then((s) => {
        pg = s;
      }),
      def.needsRedis
        ? startRedis({ runDir, placement: redisPlace }).then((s) => {
            redis = s;
          })
        : Promise.resolve(),
      startHaproxy({
        runDir,
        placement: lbPlace,
        // The shard hash HAProxy computes must be the nodes': same shard count, same actor key kind.
        routing: def.ownerRouting ? { shards: opts.shards ?? 128, granularity: opts.granularity ?? "seat" } : undefined,
        // LB_MAXCONN, LB_MAXQUEUE, LB_TIMEOUT_QUEUE_MS of `--app-env` (the apps ignore them).
        admission: lbAdmission,
      }).then((s) => {
        lb = s;
      }),
    ]);
    const worker = def.worker;
    const sidecar = def.sidecar;
    await settleAll([
      ...Array.from({ length: opts.nodes }, () => start(def.node, true)),
      ...(worker ? Array.from({ length: workers }, () => start(worker, false)) : []),
      ...(sidecar ? [start(sidecar, false)] : []),
    ]);
  } catch (err) {
    await stopAll();
    throw err;
  }
  // TS cannot see the assignments inside the callbacks above; settleAll resolved, so all are set.
  const haproxy = lb as unknown as Haproxy;
  const postgres = pg as unknown as PostgresServer;
  const redisServer = redis as RedisServer | null;

  return {
    url: haproxy.url,
    app: def.name,
    runDir,
    databaseUrl: postgres.url,
    redisUrl: redisServer?.url ?? null,
    clusterSecret,
    haproxy,
    get nodes() {
      return all.filter((n) => n.running() && n.kind !== def.sidecar);
    },
    get sidecar() {
      return all.find((n) => n.kind === def.sidecar && def.sidecar !== undefined) ?? null;
    },
    async addNodes(n) {
      if (stopping) throw new Error("stack is stopping");
      return settleAll(Array.from({ length: n }, () => start(def.node, true)));
    },
    async killNode(id, signal = "SIGKILL") {
      const node = find(id);
      node.handle.signal(signal);
      if (NON_FATAL.has(signal)) return;
      const timer = new Promise<"timeout">((r) => setTimeout(r, 30_000, "timeout").unref());
      if ((await Promise.race([node.exited, timer])) === "timeout") {
        throw new Error(`${id} did not exit within 30 s of ${signal}`);
      }
      await release(node);
    },
    async stopNode(id) {
      const node = find(id);
      const behindLb = node.kind === def.node;
      if (behindLb) await haproxy.drainBackend(id).catch(() => {});
      await node.handle.stop({ signal: "SIGTERM", timeoutMs: 30_000 });
      await release(node);
      if (behindLb) await haproxy.removeBackend(id).catch(() => {});
    },
    processes() {
      const out: StackProcess[] = all
        .filter((n) => n.running())
        .map((n) => ({
          label: n.id,
          pid: n.pid,
          role: n.role,
          host: n.host,
          address: n.url,
          metricsUrl: n.metricsUrl,
        }));
      const hostPort = (url: string) => new URL(url).host;
      if (postgres.pid !== null)
        out.push({
          label: "postgres",
          pid: postgres.pid,
          role: "postgres",
          host: pgPlace.host,
          address: hostPort(postgres.url),
        });
      if (redisServer?.pid != null)
        out.push({
          label: "redis",
          pid: redisServer.pid,
          role: "redis",
          host: redisPlace.host,
          address: hostPort(redisServer.url),
        });
      out.push({ label: "haproxy", pid: haproxy.pid, role: "haproxy", host: lbPlace.host, address: haproxy.url });
      return out;
    },
    stop: stopAll,
  };
}
