import { Pool } from "undici";
import { errorBody } from "../../contract/errors.ts";
import type { Route } from "../runtime/placement.ts";

/** Header a forwarding node adds; a request carrying it is never forwarded again (one hop at most). */
export const FORWARDED_BY = "x-statebench-forwarded-by";

/** Response header naming the node whose actor answered (set by the forwarder on forwarded answers). */
export const SERVED_BY = "x-statebench-served-by";

/** Options for `Forwarder`. */
export interface ForwarderOptions {
  nodeId: string;
  /** Keep-alive connections per peer (default 32). */
  connections?: number;
  /** Give up on a peer's answer after this long and answer 503 (default 5000 ms; a paused peer never answers). */
  timeoutMs?: number;
}

/** Request counters for /metrics: where this node's requests were served. */
export interface RoutingStats {
  /** Single-actor requests from clients answered by an actor of this node. */
  local: number;
  /** Single-actor requests from clients sent on to the owner. */
  forwarded: number;
  /** Requests forwarded here by peers (counted as `forwarded` on the sender). */
  fromPeers: number;
  /** Summary and listing reads, each asking all N nodes. */
  fanOutReads: number;
  /** Answered 503 here: shard moving, no live owner, or a second hop refused. */
  unavailable: number;
  /** Forwards that failed in transport (peer dead, paused, refused) and were answered 503. */
  forwardFailed: number;
}

const PASSED_HEADERS = ["content-type", "retry-after", "location"];

/** A 503 `unavailable` answer with Retry-After (whole seconds, at least 1). */
export function unavailableResponse(retryAfterMs: number, message: string): Response {
  return new Response(JSON.stringify(errorBody("unavailable", message)), {
    status: 503,
    headers: {
      "content-type": "application/json",
      "retry-after": String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    },
  });
}

/**
 * Sends requests for shards owned elsewhere to their owner over one pooled keep-alive undici `Pool` per peer,
 * and counts local / forwarded / unavailable. A forward is never retried here: the caller gets the owner's answer
 * or a 503 (holds and confirms are idempotent, so the client may retry safely).
 */
export class Forwarder {
  private readonly pools = new Map<string, Pool>();
  private readonly counters: RoutingStats = {
    local: 0,
    forwarded: 0,
    fromPeers: 0,
    fanOutReads: 0,
    unavailable: 0,
    forwardFailed: 0,
  };
  private readonly connections: number;
  private readonly timeoutMs: number;
  private closed: Promise<void> | null = null;

  constructor(private readonly opts: ForwarderOptions) {
    this.connections = opts.connections ?? 32;
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  /**
   * What to do with a request given its shard's route: `null` = serve it here; otherwise the Response to send
   * (the owner's answer, or 503). `body` is the raw request body (read once by the caller, e.g. Hono's cached
   * `c.req.arrayBuffer()`).
   */
  async dispatch(req: Request, route: Route, body?: () => Promise<ArrayBuffer>): Promise<Response | null> {
    if (route.kind === "local") {
      this.counters.local++;
      return null;
    }
    if (route.kind === "unavailable") {
      this.counters.unavailable++;
      return unavailableResponse(route.retryAfterMs, "shard moving or its owner is down, retry");
    }
    if (req.headers.has(FORWARDED_BY)) {
      // The sender's table was stale; a second hop could loop while ownership moves.
      this.counters.unavailable++;
      return unavailableResponse(200, "shard not owned by this node, retry");
    }
    this.counters.forwarded++;
    const hasBody = req.method !== "GET" && req.method !== "HEAD" && body !== undefined;
    const target = new URL(req.url);
    return this.forward(
      req.method,
      target.pathname + target.search,
      req.headers.get("content-type"),
      route.url,
      hasBody ? new Uint8Array(await body()) : undefined,
    );
  }

  /**
   * The HTTP layer's `Forward` hook (`http/routes.ts`): sends a whole request to the owner at `url`. Refuses a
   * second hop with a 503.
   */
  readonly forwardRequest = async (
    req: { method: string; path: string; headers: Headers; body?: string },
    url: string,
  ): Promise<Response> => {
    if (req.headers.has(FORWARDED_BY)) return unavailableResponse(200, "shard not owned by this node, retry");
    const body = req.body === undefined || req.body === "" ? undefined : Buffer.from(req.body);
    return this.forward(req.method, req.path, req.headers.get("content-type"), url, body);
  };

  /** Counts one request (for counters not maintained by `dispatch`). */
  count(kind: keyof RoutingStats): void {
    this.counters[kind]++;
  }

  stats(): RoutingStats {
    return { ...this.counters };
  }

  /** Closes every peer pool. Idempotent. */
  close(): Promise<void> {
    this.closed ??= Promise.all([...this.pools.values()].map((p) => p.close().catch(() => {}))).then(() => {});
    return this.closed;
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        connectTimeout: Math.min(this.timeoutMs, 2000),
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  private async forward(
    method: string,
    path: string,
    contentType: string | null,
    url: string,
    body: Uint8Array | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = { [FORWARDED_BY]: this.opts.nodeId };
    if (contentType) headers["content-type"] = contentType;
    try {
      const res = await this.pool(new URL(url).origin).request({ method: method as "GET", path, headers, body });
      const payload = await res.body.arrayBuffer();
      const out = new Headers();
      out.set(SERVED_BY, typeof res.headers[SERVED_BY] === "string" ? res.headers[SERVED_BY] : url);
      for (const name of PASSED_HEADERS) {
        const v = res.headers[name];
        if (typeof v === "string") out.set(name, v);
      }
      const empty = res.statusCode === 204 || res.statusCode === 304 || payload.byteLength === 0;
      return new Response(empty ? null : payload, { status: res.statusCode, headers: out });
    } catch (err) {
      this.counters.forwardFailed++;
      return unavailableResponse(500, `owner ${url} unreachable: ${(err as Error).message}`);
    }
  }
}
