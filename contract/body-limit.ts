import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/** Options for `limitBodyByLength`. */
export interface BodyLimitOptions {
  maxSize: number;
  /** The 413 answer (each app words its own message; both answer `payload_too_large`). */
  onTooLarge(c: Context): Response | Promise<Response>;
}

type NodeHeaders = Record<string, string | string[] | undefined>;

/** Node's parsed request headers when the app runs on `@hono/node-server` (`c.env.incoming`), else undefined. */
function nodeHeaders(c: Context): NodeHeaders | undefined {
  return (c.env as { incoming?: { headers?: NodeHeaders } } | undefined)?.incoming?.headers;
}

/**
 * 413 for request bodies over `maxSize`, on every route and method (both apps mount it app-wide). A request
 * with Content-Length is judged by its header alone, so `@hono/node-server` keeps its fast path (`c.req.text()`
 * reads the socket directly): `hono/body-limit` touches `c.req.raw.body`, which builds a full web Request, a
 * ReadableStream and an AbortController per request (most of a node's CPU per request when measured). Headers
 * are read from Node's own parsed headers where there are some (building a web `Headers` costs too). Chunked
 * bodies, and web Requests without the header (`app.request()` in tests), are counted by `hono/body-limit` as
 * they stream. An HTTP/1.1 request with neither Content-Length nor Transfer-Encoding has no body.
 */
export function limitBodyByLength(opts: BodyLimitOptions): MiddlewareHandler {
  const { maxSize, onTooLarge } = opts;
  const counting = bodyLimit({ maxSize, onError: onTooLarge });
  return async function limitBody(c, next) {
    const node = nodeHeaders(c);
    const length = node === undefined ? c.req.header("content-length") : (node["content-length"] as string);
    const chunked = node === undefined ? c.req.header("transfer-encoding") !== undefined : "transfer-encoding" in node;
    if (length !== undefined && !chunked) {
      if (Number(length) > maxSize) return onTooLarge(c);
      return next();
    }
    if ((node !== undefined && !chunked) || c.req.method === "GET" || c.req.method === "HEAD") return next();
    return counting(c, next);
  };
}
