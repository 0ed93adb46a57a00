import type { Context, MiddlewareHandler } from "hono";

/**
 * The overload answer every part of both stacks gives (the apps here, HAProxy in `harness/infra/haproxy-config.ts`):
 * HTTP 503, `Retry-After: 1`, this JSON body. Its `error` is a string, not the contract's `{ code, message }`
 * object, so a client (the driver) tells "shed, come back in a second" from `unavailable` (a shard moving, storage
 * down) by the body alone.
 */
export const OVERLOADED = {
  status: 503,
  retryAfterS: 1,
  body: { error: "overloaded", message: "too many requests in flight, retry after 1 s" },
} as const;

/** `OVERLOADED.body` serialised once: shedding must cost as little as possible, it runs when CPU is scarce. */
export const OVERLOADED_JSON = JSON.stringify(OVERLOADED.body);

/** A fresh overload Response (a Response's body can be read once, so one per answer). */
export function overloadedResponse(): Response {
  return new Response(OVERLOADED_JSON, {
    status: OVERLOADED.status,
    headers: { "content-type": "application/json", "retry-after": String(OVERLOADED.retryAfterS) },
  });
}

/** Paths never shed: a health check shed under load would take a busy node out of rotation, and make it worse. */
export const DEFAULT_EXEMPT: readonly string[] = ["/health", "/metrics"];

/** Options for `admission`. */
export interface AdmissionOptions {
  /** Most requests handled at once; the next one is answered `OVERLOADED` at once. 0 turns the bound off. */
  maxInFlight: number;
  /** Path prefixes never counted nor shed (default `DEFAULT_EXEMPT`). */
  exempt?: readonly string[];
}

/** Counters for `/metrics`. */
export interface AdmissionStats {
  maxInFlight: number;
  inFlight: number;
  /** Most requests in flight seen at once. */
  peakInFlight: number;
  admitted: number;
  /** Requests answered `OVERLOADED` by this bound. */
  shed: number;
}

/** The middleware and its counters; `shed()` lets other bounds (a full mailbox) count into the same figure. */
export interface Admission {
  middleware: MiddlewareHandler;
  stats(): AdmissionStats;
  /** Counts one overload answer given elsewhere in the app and returns it. */
  shed(): Response;
}

/** Node's raw request path (`@hono/node-server` sets `c.env.incoming`), read without parsing a URL. */
function rawPath(c: Context): string {
  return (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url ?? c.req.path;
}

/**
 * Hono middleware bounding the requests this process works on at once (concurrency limiting, as Envoy's
 * adaptive-concurrency filter or Netflix's concurrency-limits do, with a fixed limit). A request over the bound
 * is answered `OVERLOADED` before its body is read, so the excess costs microseconds and never queues: the
 * admitted requests keep their latency, and memory stays bounded however large the crowd. Mount it first.
 * @example
 * const gate = admission({ maxInFlight: 256 });
 * app.use(gate.middleware);
 * app.get("/metrics", (c) => c.json({ admission: gate.stats() }));
 */
export function admission(opts: AdmissionOptions): Admission {
  const max = opts.maxInFlight;
  const exempt = opts.exempt ?? DEFAULT_EXEMPT;
  const s: AdmissionStats = { maxInFlight: max, inFlight: 0, peakInFlight: 0, admitted: 0, shed: 0 };
  const isExempt = (path: string) => {
    for (const p of exempt) if (path.startsWith(p)) return true;
    return false;
  };
  const shed = () => {
    s.shed++;
    return overloadedResponse();
  };
  const middleware: MiddlewareHandler = async function admit(c, next) {
    if (max <= 0 || isExempt(rawPath(c))) return next();
    if (s.inFlight >= max) return shed();
    s.inFlight++;
    s.admitted++;
    if (s.inFlight > s.peakInFlight) s.peakInFlight = s.inFlight;
    try {
      await next();
    } finally {
      s.inFlight--;
    }
  };
  return { middleware, stats: () => ({ ...s }), shed };
}
