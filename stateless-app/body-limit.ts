import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { tooLarge } from "./errors.ts";

/**
 * 413 for bodies over `maxSize`. A request with Content-Length is judged by its header alone, so
 * `@hono/node-server` keeps its fast path (`c.req.text()` reads the socket directly); `hono/body-limit` touches
 * `c.req.raw.body`, which builds a full web Request and ReadableStream per request (~20% of a replica's CPU).
 * Other bodies (chunked, or a web Request without the header as in `app.request()`) go through `hono/body-limit`.
 */
export function limitBody(maxSize: number): MiddlewareHandler {
  const counting = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      if (Number(length) > maxSize) return tooLarge(c);
      return next();
    }
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return counting(c, next);
  };
}
