import { after, before } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { request } from "undici";
import { type Stack, startStack } from "../../../harness/stack/index.ts";
import { parseMap, parseServersState, serverForUrl } from "../../lb-sync/servers.ts";
import { actorKey, shardOfKey } from "../../runtime/index.ts";
import { closeLoadAgent } from "./booking-load.ts";

/** Polls `cond` every 25 ms until true; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Who owns which shard according to `shard_owner` (null while unowned). */
export async function shardOwners(db: pg.Pool): Promise<Array<string | null>> {
  const res = await db.query<{ shard: number; owner: string | null }>(
    "SELECT shard, owner FROM shard_owner ORDER BY shard",
  );
  return res.rows.map((r) => r.owner);
}

/** True when every shard has an owner among `nodes` and no shard is owned by anyone else. */
export async function ownedOnlyBy(db: pg.Pool, nodes: string[]): Promise<boolean> {
  const owners = await shardOwners(db);
  return owners.length > 0 && owners.every((o) => o !== null && nodes.includes(o));
}

/** GET/PUT/POST JSON against a base URL; `null` on a transport error. */
export async function call(
  base: string,
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown; headers: Record<string, unknown> } | null> {
  try {
    const res = await request(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? JSON.parse(text) : undefined, headers: res.headers };
  } catch {
    return null;
  }
}

/** Creates an event with `sections` sections of `seats` seats each (A0, A1, ...); returns its seat ids. */
export async function createEvent(base: string, eventId: string, sections: number, seats: number) {
  const layout = Array.from({ length: sections }, (_, i) => ({ id: `S${i}`, seats }));
  for (let i = 0; i < 50; i++) {
    const res = await call(base, "PUT", `/events/${eventId}`, { sections: layout });
    if (res?.status === 201 || res?.status === 200) {
      return layout.flatMap((s) => Array.from({ length: seats }, (_, n) => `${s.id}-${n + 1}`));
    }
    await sleep(100);
  }
  throw new Error(`cannot create event ${eventId}`);
}

/** The shard of a seat's actor (`section` granularity: one actor per section). */
export function shardOfSeat(eventId: string, seatId: string, shards = 128): number {
  const section = seatId.slice(0, seatId.lastIndexOf("-"));
  return shardOfKey(actorKey("section", `${eventId}/${section}`), shards);
}

/** Sum of every node's cluster routing counters (from /metrics). */
export async function routingTotals(stack: Stack): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  for (const n of stack.nodes) {
    const res = await call(n.metricsUrl, "GET", "/metrics");
    const routing = (res?.json as { cluster?: { routing?: Record<string, number> } } | undefined)?.cluster?.routing;
    for (const [k, v] of Object.entries(routing ?? {})) totals[k] = (totals[k] ?? 0) + v;
  }
  return totals;
}

/**
 * True when HAProxy's shard -> server map names, for every shard, the server of its owner in `shard_owner`, and
 * that server is up: HAProxy then sends every actor-addressed request straight to its owner.
 */
export async function routingConverged(stack: Stack, db: pg.Pool): Promise<boolean> {
  const { haproxy } = stack;
  if (haproxy.mapPath === null) return false;
  const servers = parseServersState(await haproxy.command(`show servers state ${haproxy.backend}`), haproxy.backend);
  const map = parseMap(await haproxy.command(`show map ${haproxy.mapPath}`));
  const up = new Set((await haproxy.stats()).filter((s) => s.registered && s.status === "UP").map((s) => s.slot));
  const owners = await db.query<{ shard: number; url: string | null }>("SELECT shard, url FROM shard_owner");
  return owners.rows.every((r) => {
    const server = r.url === null ? null : serverForUrl(r.url, servers);
    return server !== null && map.get(String(r.shard)) === server && up.has(server);
  });
}

/** Share of actor-addressed client requests served by their owner with no hop, between two `routingTotals`. */
export function localShare(before: Record<string, number>, after: Record<string, number>): number {
  const d = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
  const total = d("local") + d("forwarded") + d("unavailable");
  return total === 0 ? 0 : d("local") / total;
}

/** A small admin pool on the stack's database. */
export function adminPool(stack: Stack): pg.Pool {
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
  pool.on("error", () => {});
  return pool;
}

/** A 3-node cluster (section actors unless told) behind HAProxy for one test file, with an admin pool. */
export interface TestCluster {
  readonly stack: Stack;
  readonly db: pg.Pool;
}

/**
 * Registers `before`/`after` hooks that start the cluster and stop it (with the admin pool and the load agent),
 * and returns it; read `stack` and `db` inside the tests, once `before` has run.
 */
export function useCluster(opts: { granularity?: "seat" | "section" } = {}): TestCluster {
  let stack: Stack | undefined;
  let db: pg.Pool | undefined;
  before(async () => {
    stack = await startStack({ app: "stateful", nodes: 3, granularity: opts.granularity ?? "section" });
    db = adminPool(stack);
  });
  after(async () => {
    await db?.end();
    await closeLoadAgent();
    await stack?.stop();
  });
  const started = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error("the test cluster is not started (use it inside a test)");
    return x;
  };
  return {
    get stack() {
      return started(stack);
    },
    get db() {
      return started(db);
    },
  };
}
