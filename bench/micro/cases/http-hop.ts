import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";
import { startHaproxy } from "../../../harness/infra/index.ts";
import type { MicroCase } from "../case.ts";

const IN_FLIGHT = 16;
const BODY = JSON.stringify({ status: "ok", app: "micro", node: "micro-1" });

/**
 * What the balancer adds to every request of the macro runs: `GET /health` on a tiny node:http server, straight
 * and through the suite's own HAProxy (`startHaproxy`: one thread, keep-alive), one request at a time and 16 in
 * flight. The server runs in this process in both paths, so the difference is the hop.
 */
export const httpHop: MicroCase = {
  id: "http-hop",
  about: "undici Pool GET /health on node:http, direct vs through harness/infra startHaproxy",
  async setup(env) {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(BODY) });
      res.end(BODY);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    env.defer(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const direct = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const haproxy = await startHaproxy({ backends: [{ id: "micro-1", url: direct }] });
    env.defer(() => haproxy.stop());
    env.track("haproxy", haproxy.pid);
    const pools = {
      direct: new Pool(direct, { connections: IN_FLIGHT }),
      haproxy: new Pool(haproxy.url, { connections: IN_FLIGHT }),
    };
    env.defer(() => Promise.all([pools.direct.close(), pools.haproxy.close()]));
    const get = async (pool: Pool) => {
      const res = await pool.request({ method: "GET", path: "/health" });
      const text = await res.body.text();
      if (res.statusCode !== 200 || text !== BODY) throw new Error(`GET /health answered ${res.statusCode}: ${text}`);
    };
    const many = (pool: Pool) => Promise.all(Array.from({ length: IN_FLIGHT }, () => get(pool)));
    const before = (await haproxy.stats()).find((s) => s.id === "micro-1")?.http2xx ?? 0;
    return {
      tasks: [
        { name: "GET /health direct", fn: () => get(pools.direct) },
        { name: "GET /health via HAProxy", fn: () => get(pools.haproxy) },
        {
          name: `GET /health direct, ${IN_FLIGHT} in flight`,
          items: { count: IN_FLIGHT, unit: "request" },
          fn: () => many(pools.direct),
        },
        {
          name: `GET /health via HAProxy, ${IN_FLIGHT} in flight`,
          items: { count: IN_FLIGHT, unit: "request" },
          fn: () => many(pools.haproxy),
        },
      ],
      facts: async () => {
        const stat = (await haproxy.stats()).find((s) => s.id === "micro-1");
        // Includes HAProxy's own health checks (every 500 ms), a handful against thousands of requests.
        return { haproxyBackend2xx: (stat?.http2xx ?? 0) - before, haproxyBackendStatus: stat?.status ?? "missing" };
      },
    };
  },
};
