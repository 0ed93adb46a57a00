import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";

/** Header a forwarding node adds; with a valid `CLUSTER_AUTH` the request is never forwarded again (one hop). */
export const FORWARDED_BY = "x-statebench-forwarded-by";

/** Header carrying the cluster's shared secret on every node-to-node request. */
export const CLUSTER_AUTH = "x-statebench-cluster-auth";

type NodeHeaders = Record<string, string | string[] | undefined>;

/** Node's parsed request headers under `@hono/node-server` (reading them builds no web `Headers`). */
function nodeHeaders(c: Context): NodeHeaders | undefined {
  return (c.env as { incoming?: { headers?: NodeHeaders } } | undefined)?.incoming?.headers;
}

/** One request header, from Node's parsed headers when there are some (`app.request()` in tests has none). */
export function requestHeader(c: Context, name: string): string | undefined {
  const node = nodeHeaders(c);
  if (node === undefined) return c.req.header(name);
  const v = node[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Node-to-node trust: a request is a peer's only when it carries the cluster's shared secret
 * (`CLUSTER_SECRET`, generated per stack by the harness; else one kept in the cluster's database). Whatever
 * `x-statebench-*` headers a client sends (the load balancer strips them anyway), without the secret its request
 * is an ordinary client request: it is routed, forwarded and counted like any other.
 */
export class PeerAuth {
  private readonly secret: Buffer;
  /** The headers this node adds to every request it sends a peer (built once). */
  readonly outgoing: Readonly<Record<string, string>>;

  constructor(
    readonly nodeId: string,
    secret: string,
  ) {
    if (secret.length < 16) throw new Error("CLUSTER_SECRET must be at least 16 characters");
    this.secret = Buffer.from(secret);
    this.outgoing = { [FORWARDED_BY]: nodeId, [CLUSTER_AUTH]: secret };
  }

  /** True when the request carries this cluster's secret (compared in constant time). */
  isPeer(c: Context): boolean {
    const given = requestHeader(c, CLUSTER_AUTH);
    if (given === undefined || given.length !== this.secret.length) return false;
    return timingSafeEqual(Buffer.from(given), this.secret);
  }
}
