import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ensureRunDir, removeDir } from "../../harness/infra/index.ts";
import { processTreeCpuS, readStatSync } from "../../harness/samplers/index.ts";
import { type Stack, startStack } from "../../harness/stack/index.ts";
import { launchNode, type RunningNode } from "../../harness/stack/node-process.ts";

/** What bench/app-cpu.ts can drive. */
export type TargetName = "hello" | "stateful" | "stateful-off" | "stateless";

export const TARGET_NAMES: readonly TargetName[] = ["hello", "stateful", "stateful-off", "stateless"];

type Persistence = "sync" | "async";

/** What each target is, in the table; the stateful ones name the persistence they ran with (`--app-env`). */
function describe(name: TargetName, persistence: Persistence): string {
  switch (name) {
    case "hello":
      return "Hono hello-world, canned bodies";
    case "stateful":
      return `stateful, 1 clustered node (as \`npm run bench\`), ${persistence} persistence`;
    case "stateful-off":
      return `stateful, CLUSTER=off, ${persistence} persistence`;
    case "stateless":
      return "stateless, 1 API replica (+ 1 worker, Redis), queue writes";
  }
}

/** A stateful node's journal counters so far (its `/metrics`): events appended, and the transactions they took. */
export interface JournalCounters {
  events: number;
  transactions: number;
}

/** One server under measurement: the process it measures and the rest of its stack. */
export interface Target {
  name: TargetName;
  description: string;
  /** The process the client talks to. */
  url: string;
  appPid: number;
  /**
   * CPU seconds used so far by the app process (and the kernel's part of it), and by the whole stack
   * (PostgreSQL's backends included).
   */
  cpu(): Promise<{ appS: number; appSysS: number; stackS: number }>;
  /** The journal's counters (stateful targets; undefined for the others or when `/metrics` does not answer). */
  journal(): Promise<JournalCounters | undefined>;
  stop(): Promise<void>;
}

async function cpuOf(pid: number, tree = false): Promise<number> {
  if (tree) return processTreeCpuS(pid) ?? Number.NaN;
  const stat = readStatSync(pid);
  return stat === undefined ? Number.NaN : stat.cpuS;
}

async function appCpu(pid: number): Promise<{ appS: number; appSysS: number }> {
  const stat = readStatSync(pid);
  return stat === undefined ? { appS: Number.NaN, appSysS: Number.NaN } : { appS: stat.cpuS, appSysS: stat.sysS };
}

/** The app process of a stack (its first node) plus the stack's other processes, HAProxy excepted (unused). */
function fromStack(name: TargetName, stack: Stack, description: string): Target {
  const node = stack.nodes.find((n) => n.role === "node" || n.role === "api");
  if (node === undefined) throw new Error(`${name}: the stack has no app node`);
  return {
    name,
    description,
    url: node.url,
    appPid: node.pid,
    async cpu() {
      const app = await appCpu(node.pid);
      let stackS = app.appS;
      for (const p of stack.processes()) {
        if (p.pid === node.pid || p.role === "haproxy") continue;
        stackS += await cpuOf(p.pid, p.role === "postgres");
      }
      return { ...app, stackS };
    },
    journal: () => (name === "stateless" ? Promise.resolve(undefined) : journalCounters(node.metricsUrl)),
    stop: () => stack.stop(),
  };
}

async function startHello(root: string, nodeArgs: readonly string[]): Promise<Target> {
  const { dir, owned } = await ensureRunDir();
  mkdirSync(join(dir, "logs"), { recursive: true });
  let node: RunningNode;
  try {
    node = await launchNode(
      {
        role: "api",
        entry: "bench/app-cpu/hello-app.ts",
        idPrefix: "hello",
        env: (ctx) => ({ PORT: String(ctx.port), HOST: "127.0.0.1" }),
      },
      "hello-1",
      { databaseUrl: "", redisUrl: null, knobs: {} },
      {
        root,
        runDir: dir,
        extraEnv: {},
        cpu: null,
        cgroupPrefix: "statebench-app-cpu",
        readyTimeoutMs: 30_000,
        nodeArgs,
        warn: (m) => process.stderr.write(`app-cpu: ${m}\n`),
      },
    );
  } catch (err) {
    if (owned) await removeDir(dir);
    throw err;
  }
  return {
    name: "hello",
    description: describe("hello", "sync"),
    url: node.url,
    appPid: node.pid,
    async cpu() {
      const app = await appCpu(node.pid);
      return { ...app, stackS: app.appS };
    },
    journal: () => Promise.resolve(undefined),
    async stop() {
      await node.handle.stop({ signal: "SIGTERM", timeoutMs: 5_000 });
      if (owned) await removeDir(dir);
    },
  };
}

/** Options for `startTarget`. */
export interface StartOptions {
  root: string;
  logLevel: string;
  /** Node flags for every process started (`--cpu-prof ...`). */
  nodeArgs: readonly string[];
  /** Extra environment for the apps' processes (not the hello-world's). */
  env?: Record<string, string>;
}

/** Starts one target the way the harness starts it (same launcher, same env contract, private infrastructure). */
export async function startTarget(name: TargetName, opts: StartOptions): Promise<Target> {
  const { logLevel, nodeArgs } = opts;
  const env = opts.env ?? {};
  const persistence: Persistence = env.PERSISTENCE === "async" ? "async" : "sync";
  const description = describe(name, persistence);
  switch (name) {
    case "hello":
      return startHello(opts.root, nodeArgs);
    case "stateful":
      return fromStack(
        name,
        await startStack({ app: "stateful", nodes: 1, persistence, logLevel, nodeArgs, env }),
        description,
      );
    case "stateful-off":
      return fromStack(
        name,
        await startStack({
          app: "stateful",
          nodes: 1,
          persistence,
          logLevel,
          nodeArgs,
          env: { ...env, CLUSTER: "off" },
        }),
        description,
      );
    case "stateless":
      return fromStack(
        name,
        await startStack({ app: "stateless", nodes: 1, workers: 1, logLevel, nodeArgs, env }),
        description,
      );
  }
}

async function journalCounters(metricsUrl: string): Promise<JournalCounters | undefined> {
  try {
    const res = await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(2_000) });
    const m = (await res.json()) as { journalEvents?: unknown; journalTransactions?: unknown };
    const events = Number(m.journalEvents);
    const transactions = Number(m.journalTransactions);
    return Number.isFinite(events) && Number.isFinite(transactions) ? { events, transactions } : undefined;
  } catch {
    return undefined;
  }
}
