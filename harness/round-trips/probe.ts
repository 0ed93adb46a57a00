import { randomUUID } from "node:crypto";
import { request } from "undici";
import type { Endpoint } from "../../scenarios/journey-logic.js";
import { type PostgresServer, type RedisServer, startPostgres, startRedis } from "../infra/index.ts";
import type { AppName } from "../results/types.ts";
import { type AppKnobs, type Stack, startStack } from "../stack/index.ts";
import { fewest, type MeasuredRoundTrips, measureRequest } from "./measure.ts";
import { startWireCounter, type WireCounter } from "./wire-counter.ts";

/** Options for `probeRoundTrips`. */
export interface ProbeOptions extends AppKnobs {
  app: AppName;
  /** Measured tries per endpoint after one warm-up round (default 3); the fewest count is kept. */
  tries?: number;
  /** Extra env for the app process (e.g. `CLUSTER: "off"`). */
  env?: Record<string, string>;
}

type Call = { method: "GET" | "PUT" | "POST" | "DELETE"; path: string; body?: unknown };

async function call(base: string, c: Call): Promise<{ status: number; json: unknown }> {
  const res = await request(`${base}${c.path}`, {
    method: c.method,
    headers: c.body === undefined ? {} : { "content-type": "application/json" },
    body: c.body === undefined ? undefined : JSON.stringify(c.body),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : null };
}

/**
 * Counts, on the wire, the sequential round trips one app node makes to Redis and PostgreSQL for each endpoint
 * of a journey: a private PostgreSQL (and Redis) with a counting proxy in front, one node (no worker: the
 * stateless queue is drained after the answer, off the critical path) whose DATABASE_URL and REDIS_URL point at
 * the proxies, and requests sent one at a time straight to the node. What the model in `model.ts` is checked
 * against (round-trips.integration.test.ts).
 */
export async function probeRoundTrips(opts: ProbeOptions): Promise<Record<Endpoint, MeasuredRoundTrips>> {
  const saved = { db: process.env.DATABASE_URL, redis: process.env.REDIS_URL };
  let pg: PostgresServer | null = null;
  let redis: RedisServer | null = null;
  const counters: { postgres?: WireCounter; redis?: WireCounter } = {};
  let stack: Stack | null = null;
  try {
    delete process.env.DATABASE_URL;
    delete process.env.REDIS_URL;
    pg = await startPostgres();
    const dbUrl = new URL(pg.url);
    counters.postgres = await startWireCounter("postgres", dbUrl.host);
    dbUrl.host = counters.postgres.address;
    // startStack reuses these URLs instead of starting servers of its own: the node talks through the proxies.
    process.env.DATABASE_URL = dbUrl.toString();
    if (opts.app === "stateless") {
      redis = await startRedis();
      const redisUrl = new URL(redis.url);
      counters.redis = await startWireCounter("redis", redisUrl.host);
      redisUrl.host = counters.redis.address;
      process.env.REDIS_URL = redisUrl.toString();
    }
    stack = await startStack({ ...opts, nodes: 1, workers: 0, env: opts.env });
    const node = stack.nodes[0];
    if (!node) throw new Error("probe: the node did not start");
    const base = node.url;
    const eventId = `rt-${randomUUID().slice(0, 8)}`;
    const put = await call(base, {
      method: "PUT",
      path: `/events/${eventId}`,
      body: { sections: [{ id: "A", seats: 100 }] },
    });
    if (put.status !== 201) throw new Error(`probe: PUT event answered ${put.status}`);
    const samples: Record<Endpoint, MeasuredRoundTrips[]> = {
      "event-summary": [],
      "seat-list": [],
      hold: [],
      confirm: [],
      release: [],
    };
    let seat = 0;
    const tries = opts.tries ?? 3;
    for (let round = 0; round <= tries; round++) {
      const keep = round > 0; // round 0 warms up: pools connect, scripts load, actors activate
      const measure = async (endpoint: Endpoint, c: Call, status: number): Promise<unknown> => {
        let reply: { status: number; json: unknown } = { status: 0, json: null };
        const m = await measureRequest(counters, async () => {
          reply = await call(base, c);
        });
        if (reply.status !== status)
          throw new Error(`probe: ${endpoint} answered ${reply.status}: ${JSON.stringify(reply.json)}`);
        if (keep) samples[endpoint].push(m);
        return reply.json;
      };
      const holdBody = () => ({ seatId: `A-${++seat}`, userId: `u${seat}`, requestId: `r${seat}` });
      await measure("event-summary", { method: "GET", path: `/events/${eventId}` }, 200);
      await measure("seat-list", { method: "GET", path: `/events/${eventId}/seats?limit=100` }, 200);
      const hold = (await measure(
        "hold",
        { method: "POST", path: `/events/${eventId}/holds`, body: holdBody() },
        201,
      )) as {
        holdId: string;
      };
      await measure("confirm", { method: "POST", path: `/events/${eventId}/holds/${hold.holdId}/confirm` }, 200);
      const other = await call(base, { method: "POST", path: `/events/${eventId}/holds`, body: holdBody() });
      const otherId = (other.json as { holdId: string }).holdId;
      await measure("release", { method: "DELETE", path: `/events/${eventId}/holds/${otherId}` }, 204);
    }
    return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, fewest(v)])) as Record<
      Endpoint,
      MeasuredRoundTrips
    >;
  } finally {
    await stack?.stop();
    await Promise.all([counters.postgres?.close(), counters.redis?.close()]);
    await Promise.all([pg?.stop(), redis?.stop()]);
    for (const [k, v] of [
      ["DATABASE_URL", saved.db],
      ["REDIS_URL", saved.redis],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

// `node --import tsx harness/round-trips/probe.ts stateless|stateful [KEY=VALUE ...]`: prints the counts as JSON.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [app = "stateless", ...pairs] = process.argv.slice(2);
  const env = Object.fromEntries(pairs.map((p) => p.split("=", 2) as [string, string]));
  const result = await probeRoundTrips({ app: app as AppName, env });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
