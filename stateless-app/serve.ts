import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { Logger } from "./log.ts";

/**
 * Serves `app` on host:port and wires graceful shutdown: on SIGTERM/SIGINT stop accepting, let in-flight requests
 * finish (bounded), then run `cleanup` and exit.
 */
export function serveWithShutdown(
  app: Hono,
  opts: { host: string; port: number; log: Logger; cleanup: () => Promise<void>; graceMs?: number },
): Promise<void> {
  let stopping = false;
  // While stopping, answers carry `Connection: close` so keep-alive clients (HAProxy) let go after their last answer.
  const fetch = async (req: Request, env: unknown) => {
    const res = await app.fetch(req, env);
    if (stopping) {
      try {
        res.headers.set("connection", "close");
      } catch {
        // immutable headers: the socket closes at the grace timeout instead
      }
    }
    return res;
  };
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: opts.host, port: opts.port }, (info) => {
      opts.log.info({ port: info.port }, "listening");
      resolve();
    });
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      opts.log.info({ signal }, "shutting down");
      const force = setTimeout(() => process.exit(1), opts.graceMs ?? 10_000);
      force.unref();
      server.close(async () => {
        await opts.cleanup().catch((err: Error) => opts.log.error({ err: err.message }, "cleanup failed"));
        process.exit(0);
      });
      // Keep-alive sockets with no request in flight would hold close() open.
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
