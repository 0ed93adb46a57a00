/**
 * Redis key layout. Every key of one event shares the hash tag `{<eventId>}`, so each script touches one slot.
 *
 * - `sl:{e}:meta`        hash   layout cache: ready, ttl, cap, order, i:<section>, s:<section>
 * - `sl:{e}:seat:<seat>` string the claim: "H|token|user|expiresAt" with PXAT (hold) or "S|token|user" (sold)
 * - `sl:{e}:free`        zset   available seats by layout index (section index * 2^18 + n)
 * - `sl:{e}:held`        zset   held seats by layout index
 * - `sl:{e}:exp`         zset   held seats by expiresAt
 * - `sl:{e}:sold`        zset   sold seats by layout index
 * - `sl:{e}:req:<seat>:<user>:<requestId>` string  the 201 answer to a hold request, for idempotent retries
 * - `sl:pending`         zset   confirmed bookings not yet known to be in PostgreSQL, by confirm time
 */
export interface EventKeys {
  meta: string;
  free: string;
  held: string;
  exp: string;
  sold: string;
  seatPrefix: string;
  seat(seatId: string): string;
  req(seatId: string, userId: string, requestId: string): string;
}

export const PENDING_KEY = "sl:pending";

// Every request names its event's keys: built once per event (a few events are hot), not per request. Cleared
// when it grows, so a client sending many event ids cannot grow it without bound.
const cache = new Map<string, EventKeys>();

export function eventKeys(eventId: string): EventKeys {
  let keys = cache.get(eventId);
  if (keys === undefined) {
    if (cache.size >= 1024) cache.clear();
    keys = buildKeys(eventId);
    cache.set(eventId, keys);
  }
  return keys;
}

function buildKeys(eventId: string): EventKeys {
  const p = `sl:{${eventId}}:`;
  return {
    meta: `${p}meta`,
    free: `${p}free`,
    held: `${p}held`,
    exp: `${p}exp`,
    sold: `${p}sold`,
    seatPrefix: `${p}seat:`,
    seat: (seatId) => `${p}seat:${seatId}`,
    req: (seatId, userId, requestId) => `${p}req:${seatId}:${userId}:${requestId}`,
  };
}
