/**
 * The routing-table publisher of the stateful deployment: a small process beside HAProxy that keeps
 * HAProxy's shard -> server map equal to `shard_owner`, so HAProxy sends each actor-addressed request straight to
 * the node owning its shard (see `publisher.ts`; the HAProxy side is in `harness/infra/haproxy-config.ts`).
 *
 *   DATABASE_URL=... HAPROXY_RUNTIME=/run/haproxy.sock node --import tsx stateful-app/lb-sync/main.ts
 *
 * Env: DATABASE_URL, HAPROXY_RUNTIME (unix socket path or host:port of a `stats socket ... level admin`),
 * HAPROXY_MAP (map file as HAProxy names it; default: its first map), HAPROXY_BACKEND (default `app`),
 * LB_SYNC_POLL_MS (default 500), PORT and HOST (optional: GET /health and GET /metrics for probes).
 * SIGTERM/SIGINT: stop, exit 0. The map it leaves behind stays valid: HAProxy skips servers that go down.
 */
import { createServer } from "node:http";
import { PROMETHEUS_CONTENT_TYPE, prometheusText, wantsPrometheus } from "../../contract/prometheus.ts";
import { startPublisher } from "./publisher.ts";

const env = process.env;
function required(name: string): string {
  const v = env[name];
  if (!v) {
    process.stderr.write(`lb-sync: ${name} is required\n`);
    process.exit(2);
  }
  return v;
}

const log = {
  warn: (obj: object, msg?: string) => process.stderr.write(`${JSON.stringify({ level: "warn", msg, ...obj })}\n`),
  info: (obj: object, msg?: string) => process.stdout.write(`${JSON.stringify({ level: "info", msg, ...obj })}\n`),
};
const publisher = await startPublisher({
  databaseUrl: required("DATABASE_URL"),
  haproxyRuntime: required("HAPROXY_RUNTIME"),
  haproxyMap: env.HAPROXY_MAP || undefined,
  haproxyBackend: env.HAPROXY_BACKEND || undefined,
  pollMs: env.LB_SYNC_POLL_MS ? Number(env.LB_SYNC_POLL_MS) : undefined,
  log,
});

const server = env.PORT
  ? createServer((req, res) => {
      const body =
        req.url === "/health"
          ? { status: "ok", app: "lb-sync" }
          : req.url === "/metrics"
            ? { app: "lb-sync", lbSync: publisher.stats() }
            : null;
      if (req.url === "/metrics" && wantsPrometheus(req.headers.accept)) {
        res.writeHead(200, { "content-type": PROMETHEUS_CONTENT_TYPE });
        res.end(prometheusText({ lbSync: publisher.stats() }));
        return;
      }
      res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(body ?? { error: { code: "not_found", message: "no such route" } }));
    }).listen(Number(env.PORT), env.HOST ?? "127.0.0.1")
  : null;
log.info({ runtime: env.HAPROXY_RUNTIME, map: env.HAPROXY_MAP ?? "(first map)" }, "lb-sync started");

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server?.close();
    publisher.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
