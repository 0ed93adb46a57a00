/** Which app a stack runs. */
export type AppName = "stateless" | "stateful";

/**
 * What a process of the stack is: a stateless API replica, a stateless BullMQ worker, a stateful actor node, or
 * the stateful deployment's routing-table publisher beside HAProxy.
 */
export type NodeRole = "api" | "worker" | "node" | "lb-sync";

/** Knobs that become app env vars; unset ones are left to the app's own default. */
export interface AppKnobs {
  /** stateless: WRITE_MODE. */
  writeMode?: "queue" | "sync";
  /** stateful: PERSISTENCE. */
  persistence?: "sync" | "async";
  /** stateful: GRANULARITY. */
  granularity?: "seat" | "section";
  /** stateful: SHARDS. */
  shards?: number;
  logLevel?: string;
}

/** What the process being started needs to know to build its env. */
export interface ProcessContext {
  id: string;
  /** The address to listen on and advertise: 127.0.0.1, or the node's own host address. */
  host: string;
  port: number;
  /** A second free port, for `/metrics` off the public port (the processes HAProxy balances over use it). */
  metricsPort: number;
  databaseUrl: string;
  redisUrl: string | null;
  knobs: AppKnobs;
  /** The stack's node-to-node secret (CLUSTER_SECRET), fresh for every stack. */
  clusterSecret?: string;
  /** The stack's HAProxy, for the routing-table publisher. */
  haproxy?: { runtime: string; map: string | null; backend: string };
}

/** How to launch one kind of process of an app. `entry` is relative to the project root. */
export interface ProcessKind {
  role: NodeRole;
  entry: string;
  /** Node ids are `<idPrefix>-<n>`. */
  idPrefix: string;
  env(ctx: ProcessContext): Record<string, string>;
}

/** How to run one app: the processes HAProxy balances over, optional background workers, infra it needs. */
export interface AppDefinition {
  name: AppName;
  /** Processes behind HAProxy (`--nodes N`). */
  node: ProcessKind;
  /** Processes beside HAProxy (`--workers N`), not balanced. */
  worker?: ProcessKind;
  /** One process beside HAProxy, started with it (the stateful app's routing-table publisher). */
  sidecar?: ProcessKind;
  /** HAProxy routes actor-addressed requests to their shard's owner (else plain round robin). */
  ownerRouting: boolean;
  needsRedis: boolean;
}

export type AppRegistry = Record<AppName, AppDefinition>;

function common(ctx: ProcessContext): Record<string, string> {
  const env: Record<string, string> = {
    PORT: String(ctx.port),
    HOST: ctx.host,
    NODE_ID: ctx.id,
    DATABASE_URL: ctx.databaseUrl,
    LOG_LEVEL: ctx.knobs.logLevel ?? "warn",
  };
  if (ctx.redisUrl) env.REDIS_URL = ctx.redisUrl;
  return env;
}

/** `/metrics` on a port of its own: HAProxy forwards PORT only, so the figures never leave through it. */
const metricsEnv = (ctx: ProcessContext) => ({ METRICS_PORT: String(ctx.metricsPort) });

function defined(entries: Record<string, string | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) out[k] = String(v);
  return out;
}

/** The real apps and how the stack launches them (the env contract of the team brief). */
export const APPS: AppRegistry = {
  stateless: {
    name: "stateless",
    needsRedis: true,
    ownerRouting: false,
    node: {
      role: "api",
      entry: "stateless-app/main.ts",
      idPrefix: "node",
      env: (ctx) => ({ ...common(ctx), ...metricsEnv(ctx), ...defined({ WRITE_MODE: ctx.knobs.writeMode }) }),
    },
    worker: {
      role: "worker",
      entry: "stateless-app/worker-main.ts",
      idPrefix: "worker",
      env: (ctx) => ({ ...common(ctx), ...metricsEnv(ctx) }),
    },
  },
  stateful: {
    name: "stateful",
    needsRedis: false,
    ownerRouting: true,
    node: {
      role: "node",
      entry: "stateful-app/main.ts",
      idPrefix: "node",
      env: (ctx) => ({
        ...common(ctx),
        ...metricsEnv(ctx),
        ADVERTISE_URL: `http://${ctx.host}:${ctx.port}`,
        ...defined({
          CLUSTER_SECRET: ctx.clusterSecret,
          PERSISTENCE: ctx.knobs.persistence,
          GRANULARITY: ctx.knobs.granularity,
          SHARDS: ctx.knobs.shards,
        }),
      }),
    },
    sidecar: {
      role: "lb-sync",
      entry: "stateful-app/lb-sync/main.ts",
      idPrefix: "lb-sync",
      env: (ctx) => {
        if (!ctx.haproxy) throw new Error("the routing-table publisher needs the stack's HAProxy");
        return {
          PORT: String(ctx.port),
          HOST: ctx.host,
          DATABASE_URL: ctx.databaseUrl,
          HAPROXY_RUNTIME: ctx.haproxy.runtime,
          HAPROXY_BACKEND: ctx.haproxy.backend,
          ...defined({ HAPROXY_MAP: ctx.haproxy.map ?? undefined }),
        };
      },
    },
  },
};
