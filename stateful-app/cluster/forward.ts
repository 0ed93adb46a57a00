import type { Context } from "hono";
import { Pool } from "undici";
import { errorBody } from "../../contract/errors.ts";
import type { Route } from "../runtime/placement.ts";
import type { PeerAuth } from "./peer-auth.ts";

/** Options for `Forwarder`. */
export interface ForwarderOptions {
  auth: PeerAuth;
  /** Keep-alive connections per peer (default 32). */
  connections?: number;
  /** Give up on a peer's answer after this long and answer 503 (default 5000 ms; a paused peer never answers). */
  timeoutMs?: number;
}

/**
 * Where this node's actor-addressed requests were served (/metrics). With the load balancer routing by owner,
 * `forwarded` is what a stale routing table (a shard that just moved) still costs.
 */
export interface RoutingStats {
  /** Client requests answered by an actor of this node: they reached the owner with no hop. */
  local: number;
  /** Client requests sent on to the owner (one hop). */
  forwarded: number;
  /** Client requests answered 503 here: shard moving or no live owner. */
  unavailable: number;
  /** Requests forwarded here by peers (counted as `forwarded` on the sender). */
  fromPeers: number;
  /** Peer requests for a shard this node does not serve (the sender's table was stale): 503, never a second hop. */
  refusedHops: number;
  /** Forwards that failed in transport (peer dead, paused, refused) and were answered 503. */
  forwardFailed: number;
}

const PASSED_HEADERS = ["content-type", "retry-after", "location"] as const;

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

/** Path and query as received (Node's `req.url`), without building a URL object. */
function pathOf(c: Context): string {
  const raw = (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url;
  if (raw !== undefined) return raw;
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

/**
 * The HTTP layer's `Forward` hook (`http/routes.ts`) in a cluster: counts where each actor-addressed request is
 * served, and sends the ones for shards owned elsewhere to their owner over one pooled keep-alive undici `Pool`
 * per peer. A peer's request (authenticated by the cluster secret) is never forwarded again. A forward is never
 * retried here: the client gets the owner's answer or a 503 (holds and confirms are idempotent).
 *
 * The hop is kept cheap: the request headers are a prebuilt object, and the owner's answer is passed back as
 * bytes with a plain header object, which `@hono/node-server` writes straight to the socket (an ArrayBuffer or a
 * `Headers` instance would send the answer down its slow web-Response path).
 */
export class Forwarder {
  private readonly pools = new Map<string, Pool>();
  private readonly counters: RoutingStats = {
    local: 0,
    forwarded: 0,
    unavailable: 0,
    fromPeers: 0,
    refusedHops: 0,
    forwardFailed: 0,
  };
  private readonly connections: number;
  private readonly timeoutMs: number;
  private readonly withJson: Record<string, string>;
  private readonly auth: PeerAuth;
  private closed: Promise<void> | null = null;

  constructor(opts: ForwarderOptions) {
    this.auth = opts.auth;
    this.connections = opts.connections ?? 32;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.withJson = { ...this.auth.outgoing, "content-type": "application/json" };
  }

  /** `Forward`: null = serve it here; otherwise the answer to send (the owner's, or a 503). */
  readonly route = (c: Context, route: Route, body: string | undefined): Promise<Response> | null => {
    const peer = this.auth.isPeer(c);
    if (route.kind === "local") {
      this.counters[peer ? "fromPeers" : "local"]++;
      return null;
    }
    if (peer) {
      // The sender's table was stale; a second hop could loop while ownership moves.
      this.counters.refusedHops++;
      return Promise.resolve(unavailableResponse(200, "shard not owned by this node, retry"));
    }
    if (route.kind === "unavailable") {
      this.counters.unavailable++;
      return Promise.resolve(unavailableResponse(route.retryAfterMs, "shard moving or its owner is down, retry"));
    }
    this.counters.forwarded++;
    // Every body of the contract is JSON (the owner parses it whatever its declared type).
    const hasBody = body !== undefined && body !== "";
    return this.forward(c.req.method, pathOf(c), route.url, hasBody ? body : undefined);
  };

  stats(): RoutingStats {
    return { ...this.counters };
  }

  /** Closes every peer pool. Idempotent. */
  close(): Promise<void> {
    this.closed ??= Promise.all([...this.pools.values()].map((p) => p.close().catch(() => {}))).then(() => {});
    return this.closed;
  }

  private pool(url: string): Pool {
    let pool = this.pools.get(url);
    if (!pool) {
      pool = new Pool(new URL(url).origin, {
        connections: this.connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        connectTimeout: Math.min(this.timeoutMs, 2000),
      });
      this.pools.set(url, pool);
    }
    return pool;
  }

  private async forward(method: string, path: string, url: string, body: string | undefined): Promise<Response> {
    try {
      const res = await this.pool(url).request({
        method: method as "GET",
        path,
        headers: body === undefined ? this.auth.outgoing : this.withJson,
        body,
      });
      const payload = new Uint8Array(await res.body.arrayBuffer());
      const headers: Record<string, string> = {};
      for (const name of PASSED_HEADERS) {
        const v = res.headers[name];
        if (typeof v === "string") headers[name] = v;
      }
      const empty = res.statusCode === 204 || res.statusCode === 304 || payload.byteLength === 0;
      return new Response(empty ? null : payload, { status: res.statusCode, headers });
    } catch (err) {
      this.counters.forwardFailed++;
      return unavailableResponse(500, `owner ${url} unreachable: ${(err as Error).message}`);
    }
  }
}
