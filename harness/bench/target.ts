import {
  haproxySampler,
  postgresSampler,
  processSampler,
  redisSampler,
  type Sampler,
  type WatchedProcess,
} from "../samplers/index.ts";
import type { Stack } from "../stack/index.ts";

/**
 * What a measurement runs against: a private stack the harness started (faults, samplers of every process,
 * cold-restart audit), or an app already running elsewhere (`--target`: compose, another machine), where only
 * what the URLs give access to can be sampled and audited.
 */
export interface Target {
  url: string;
  stack: Stack | null;
  databaseUrl: string | null;
  redisUrl: string | null;
  allowRemote: boolean;
}

export function stackTarget(stack: Stack): Target {
  return { url: stack.url, stack, databaseUrl: stack.databaseUrl, redisUrl: stack.redisUrl, allowRemote: false };
}

/** An app running elsewhere; its PostgreSQL and Redis are sampled and audited when DATABASE_URL / REDIS_URL say where. */
export function externalTarget(url: string, env: NodeJS.ProcessEnv = process.env): Target {
  return {
    url: url.replace(/\/+$/, ""),
    stack: null,
    databaseUrl: env.DATABASE_URL ?? null,
    redisUrl: env.REDIS_URL ?? null,
    allowRemote: true,
  };
}

/** Samplers for what the target exposes; the driver's own process is always watched. */
export function targetSamplers(t: Target, extra: WatchedProcess[] = []): Sampler[] {
  const stack = t.stack;
  const processes = () => [
    ...(stack?.processes() ?? []).map((p) => ({ label: p.label, pid: p.pid, tree: p.role === "postgres" })),
    { label: "driver", pid: process.pid },
    ...extra,
  ];
  return [
    ...(t.databaseUrl ? [postgresSampler(t.databaseUrl)] : []),
    ...(t.redisUrl ? [redisSampler(t.redisUrl)] : []),
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
    processSampler(processes),
  ];
}

/** Process label -> role, for CPU/RSS by role. */
export function targetRoles(t: Target): Record<string, string> {
  const roles: Record<string, string> = { driver: "driver" };
  for (const p of t.stack?.processes() ?? []) roles[p.label] = p.role;
  return roles;
}
