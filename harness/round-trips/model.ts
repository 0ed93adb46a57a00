import type { Endpoint } from "../../scenarios/journey-logic.js";
import type { AppName, RoundTripCounts } from "../results/types.ts";

/**
 * Sequential network round trips on one request's critical path, beyond the client's own trip to the load
 * balancer (the same for both apps wherever the client is): `lb` the balancer's hop to a node, `forward` a node
 * passing the request to the actor's owner, `redis` and `postgres` the calls the node waits for in turn
 * (a pipeline, a Lua script or one multi-row statement is one). `total` is their sum.
 */
export type RoundTrips = RoundTripCounts;

/** The counts of each endpoint of a journey. */
export type RoundTripTable = Record<Endpoint, RoundTrips>;

/** What the counts depend on. */
export interface RoundTripConfig {
  app: AppName;
  /** stateless: `queue` acknowledges after the BullMQ enqueue (Redis), `sync` after the INSERT (PostgreSQL). */
  writeMode?: "queue" | "sync";
  /** stateful: `sync` acknowledges a change after its journal commit, `async` before it (write-behind). */
  persistence?: "sync" | "async";
  /**
   * stateful: the share of actor-addressed requests (hold, confirm, release) that took the forwarding hop, as
   * measured over the window (`routing.forwardedShare`); 0 when HAProxy's owner routing found every owner.
   */
  forwardedShare?: number | null;
}

type Calls = Pick<RoundTrips, "redis" | "postgres">;

/**
 * Backend calls per endpoint on the warm path (the event already cached in Redis or active in memory), read off
 * the code and checked on the wire by round-trips.integration.test.ts (a counting proxy in front of each backend):
 * - stateless (`stateless-app/service.ts`): every endpoint is one Lua script on Redis (`redis/scripts/*.lua`);
 *   confirm then hands the booking to the writer: one BullMQ add (queue) or one INSERT (sync).
 * - stateful (`stateful-app/booking/service.ts`): reads come from the node's memory (the board, the replicated
 *   view); a hold, confirm or release waits for its journal commit in sync mode (one fenced INSERT per group
 *   commit) and for nothing in async mode.
 * Under load a change may also wait for the group commit in flight before its own: one more PostgreSQL round
 * trip at most, which this unloaded count leaves out.
 */
function calls(c: RoundTripConfig, endpoint: Endpoint): Calls {
  if (c.app === "stateless") {
    if (endpoint === "confirm") return c.writeMode === "sync" ? { redis: 1, postgres: 1 } : { redis: 2, postgres: 0 };
    return { redis: 1, postgres: 0 };
  }
  const write = endpoint === "hold" || endpoint === "confirm" || endpoint === "release";
  return { redis: 0, postgres: write && c.persistence !== "async" ? 1 : 0 };
}

const ACTOR_ADDRESSED = new Set<Endpoint>(["hold", "confirm", "release"]);
const ENDPOINTS: Endpoint[] = ["event-summary", "seat-list", "hold", "confirm", "release"];

/**
 * The round trips of every endpoint for an app as configured: a model, not a measurement.
 * @example roundTripModel({ app: "stateless", writeMode: "queue" }).confirm // { lb: 1, forward: 0, redis: 2, postgres: 0, total: 3 }
 */
export function roundTripModel(c: RoundTripConfig): RoundTripTable {
  const share = c.app === "stateful" ? Math.max(0, Math.min(1, c.forwardedShare ?? 0)) : 0;
  const out = {} as RoundTripTable;
  for (const endpoint of ENDPOINTS) {
    const { redis, postgres } = calls(c, endpoint);
    // Summary and listing are answered by any node from its replicated view: never forwarded.
    const forward = ACTOR_ADDRESSED.has(endpoint) ? Math.round(share * 100) / 100 : 0;
    out[endpoint] = {
      lb: 1,
      forward,
      redis,
      postgres,
      total: Math.round((1 + forward + redis + postgres) * 100) / 100,
    };
  }
  return out;
}

/** The default datacenter round-trip time of the projection (`--rtt-ms`), in ms. */
export const DEFAULT_RTT_MS = 0.5;

/** Parses `--rtt-ms` (default `DEFAULT_RTT_MS`); the error names the flag. */
export function parseRttMs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RTT_MS;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1000) {
    throw new Error(`--rtt-ms: expected a round-trip time in ms between 0 and 1000, got "${value}"`);
  }
  return n;
}

/**
 * A latency projected to a network where each round trip costs `rttMs` more than on loopback: the measured
 * figure plus `total` round trips. A model: it ignores bandwidth, queueing and the loopback's own small cost.
 */
export function projectLatencyMs(measuredMs: number, rt: Pick<RoundTrips, "total">, rttMs: number): number {
  return measuredMs + rt.total * rttMs;
}
