import { sequentialRoundTrips, type WireCounter } from "./wire-counter.ts";

/** Sequential round trips one request made to its backends, as counted on the wire. */
export interface MeasuredRoundTrips {
  redis: number;
  postgres: number;
  /** Across both backends: a Redis call overlapping a PostgreSQL one counts once. */
  backends: number;
}

/**
 * Sends one request and counts the turns its backends saw while it was in flight: only what started before the
 * answer arrived is on the request's critical path (a write-behind flush after it is not).
 */
export async function measureRequest(
  counters: { redis?: WireCounter; postgres?: WireCounter },
  send: () => Promise<unknown>,
): Promise<MeasuredRoundTrips> {
  const from = performance.now();
  await send();
  const to = performance.now();
  const redis = counters.redis?.turns(from, to) ?? [];
  const postgres = counters.postgres?.turns(from, to) ?? [];
  return {
    redis: sequentialRoundTrips(redis),
    postgres: sequentialRoundTrips(postgres),
    backends: sequentialRoundTrips([...redis, ...postgres]),
  };
}

/**
 * The fewest round trips over several tries of the same kind of request: background work (a heartbeat, a lease
 * renewal) can only add turns to a window, never remove the request's own.
 */
export function fewest(samples: MeasuredRoundTrips[]): MeasuredRoundTrips {
  if (samples.length === 0) throw new Error("fewest: no samples");
  const min = (k: keyof MeasuredRoundTrips) => Math.min(...samples.map((s) => s[k]));
  return { redis: min("redis"), postgres: min("postgres"), backends: min("backends") };
}
