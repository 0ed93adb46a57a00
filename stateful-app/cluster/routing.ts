import type { Context, MiddlewareHandler } from "hono";
import { Pool } from "undici";
import type { Placement } from "../runtime/placement.ts";
import { FORWARDED_BY, type Forwarder, unavailableResponse } from "./forward.ts";

/** Options for `clusterRouting`. */
export interface ClusterRoutingOptions {
  placement: Placement;
  forwarder: Forwarder;
  /**
   * The actor key a request is addressed to (the same string the runtime passes to `shardOf`), or undefined
   * when the request is not for one actor (health, metrics, fan-out reads, invalid input: served locally).
   * May read the body through Hono's cached `c.req.json()`; must not throw on bad input.
   */
  keyOf(c: Context): string | undefined | Promise<string | undefined>;
}

/**
 * Hono middleware: a request whose actor's shard is owned elsewhere is forwarded to the owner (one hop at most);
 * one for a moving shard or a dead owner gets 503 `unavailable` with Retry-After; the rest go on to the local
 * handlers.
 */
export function clusterRouting(opts: ClusterRoutingOptions): MiddlewareHandler {
  const { placement, forwarder, keyOf } = opts;
  return async function clusterRoute(c, next) {
    const key = await keyOf(c);
    if (key === undefined) return next();
    const route = placement.route(placement.shardOf(key));
    const answer = await forwarder.dispatch(c.req.raw, route, () => c.req.arrayBuffer());
    if (answer === null) return next();
    return answer;
  };
}

/** One node's answer to a fan-out read. */
export interface PeerAnswer {
  node: string;
  status: number;
  json: unknown;
}

/**
 * Fan-out reads over the N members (not over actors): GETs `path` from every other live member, marked as
 * forwarded so they answer from their own shards only. A missing answer fails the whole read (the caller answers
 * 503): a partial sum would be a wrong answer.
 */
export class PeerReader {
  private readonly pools = new Map<string, Pool>();
  constructor(
    private readonly nodeId: string,
    private readonly timeoutMs = 3000,
  ) {}

  async gather(members: Array<{ node: string; url: string }>, path: string): Promise<PeerAnswer[]> {
    const others = members.filter((m) => m.node !== this.nodeId);
    return Promise.all(
      others.map(async (m) => {
        const res = await this.pool(m.url).request({
          method: "GET",
          path,
          headers: { [FORWARDED_BY]: this.nodeId },
        });
        const text = await res.body.text();
        return { node: m.node, status: res.statusCode, json: text ? (JSON.parse(text) as unknown) : undefined };
      }),
    );
  }

  close(): Promise<void> {
    return Promise.all([...this.pools.values()].map((p) => p.close().catch(() => {}))).then(() => {});
  }

  private pool(url: string): Pool {
    const origin = new URL(url).origin;
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: 8,
        keepAliveTimeout: 30_000,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        connectTimeout: Math.min(this.timeoutMs, 2000),
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

/** True when the request came from a peer (forwarded or fan-out): answer from local state only. */
export function fromPeer(c: Context): boolean {
  return c.req.header(FORWARDED_BY) !== undefined;
}

export { unavailableResponse };
