// Off loopback `/metrics` must not be reachable through the load balancer (issue 16 item 4): every app process
// started by the harness serves it on a port of its own, which HAProxy never forwards to, and its public port
// answers 404 there. Real stacks of both apps (PostgreSQL, Redis, HAProxy, the app processes).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { request } from "undici";
import type { AppName } from "../results/types.ts";
import { type Stack, startStack } from "./index.ts";

async function get(url: string): Promise<{ status: number; json: unknown }> {
  const res = await request(url, { headersTimeout: 5_000, bodyTimeout: 5_000 });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.statusCode, json };
}

for (const app of ["stateless", "stateful"] as AppName[]) {
  describe(`/metrics off the public listener (${app})`, () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack({ app, nodes: 1, ...(app === "stateful" ? { env: { CLUSTER: "off" } } : {}) });
    });
    after(() => stack?.stop());

    it("is 404 through the load balancer and on each node's public port, with the contract's error shape", async () => {
      assert.equal((await get(`${stack.url}/health`)).status, 200);
      for (const path of ["/metrics", "/metrics/"]) {
        const viaLb = await get(`${stack.url}${path}`);
        assert.equal(viaLb.status, 404, `LB ${path}: ${JSON.stringify(viaLb.json)}`);
      }
      for (const n of stack.nodes) {
        assert.notEqual(n.metricsUrl, n.url, `${n.id} has a metrics port of its own`);
        const direct = await get(`${n.url}/metrics`);
        assert.equal(direct.status, 404, `${n.id} public port: ${JSON.stringify(direct.json)}`);
        assert.equal((direct.json as { error?: { code?: string } }).error?.code, "not_found");
      }
    });

    it("is served on each process's metrics port, which serves nothing of the API", async () => {
      for (const n of stack.nodes) {
        const m = await get(`${n.metricsUrl}/metrics`);
        assert.equal(m.status, 200, `${n.id}: ${JSON.stringify(m.json)}`);
        assert.equal(typeof m.json, "object");
        assert.equal((await get(`${n.metricsUrl}/health`)).status, 200);
        assert.equal((await get(`${n.metricsUrl}/events/ev-1`)).status, 404, `${n.id}: the API on the metrics port`);
      }
      if (app === "stateless") {
        assert.ok(
          stack.nodes.some((n) => n.role === "worker"),
          "the worker runs",
        );
      }
    });
  });
}
