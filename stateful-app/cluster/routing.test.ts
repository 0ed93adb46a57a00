// Forwarding between two real HTTP servers on 127.0.0.1 (no database): local, forwarded, 503 and one-hop rules.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Placement, Route } from "../runtime/placement.ts";
import { FORWARDED_BY, Forwarder } from "./forward.ts";
import { clusterRouting } from "./routing.ts";

/** A fixed table: key "a.." local, "b.." on the peer, "x.." moving, "d.." on a dead peer. */
class TablePlacement implements Placement {
  readonly shards = 4;
  constructor(private readonly table: Route[]) {}
  shardOf(key: string): number {
    return { a: 0, b: 1, x: 2, d: 3 }[key[0] as "a"] ?? 0;
  }
  route(shard: number): Route {
    return this.table[shard] ?? { kind: "unavailable", retryAfterMs: 1000 };
  }
  onShardLost(): void {}
}

type Server = ReturnType<typeof serve>;
const servers: Server[] = [];

function listen(app: Hono): Promise<string> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    servers.push(server);
  });
}

let peerUrl = "";
let nodeUrl = "";
let forwarder: Forwarder;

before(async () => {
  const peer = new Hono();
  peer.post("/things/:key", async (c) =>
    c.json({ served: "peer", key: c.req.param("key"), by: c.req.header(FORWARDED_BY), body: await c.req.json() }, 201, {
      "retry-after": "7",
    }),
  );
  peer.delete("/things/:key", (c) => c.body(null, 204));
  peerUrl = await listen(peer);

  forwarder = new Forwarder({ nodeId: "n1", timeoutMs: 2000 });
  const placement = new TablePlacement([
    { kind: "local" },
    { kind: "remote", url: peerUrl },
    { kind: "unavailable", retryAfterMs: 1500 },
    { kind: "remote", url: "http://127.0.0.1:9" },
  ]);
  const app = new Hono();
  app.use("/things/:key", clusterRouting({ placement, forwarder, keyOf: (c) => c.req.param("key") }));
  app.post("/things/:key", async (c) => c.json({ served: "local", body: await c.req.json() }, 200));
  nodeUrl = await listen(app);
});

after(async () => {
  await forwarder.close();
  for (const s of servers) s.close();
});

async function call(method: string, key: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${nodeUrl}/things/${key}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: method === "POST" ? JSON.stringify({ n: 1 }) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

describe("cluster routing", () => {
  it("serves a local shard here", async () => {
    const r = await call("POST", "a1");
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { served: "local", body: { n: 1 } });
  });

  it("forwards to the owner with the body, and passes its status and headers back", async () => {
    const r = await call("POST", "b1");
    assert.equal(r.status, 201);
    assert.deepEqual(r.json, { served: "peer", key: "b1", by: "n1", body: { n: 1 } });
    assert.equal(r.headers.get("retry-after"), "7");
    const del = await call("DELETE", "b2");
    assert.equal(del.status, 204);
  });

  it("answers 503 unavailable with Retry-After for a moving shard", async () => {
    const r = await call("POST", "x1");
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, "unavailable");
    assert.equal(r.headers.get("retry-after"), "2");
  });

  it("never forwards twice", async () => {
    const r = await call("POST", "b1", { [FORWARDED_BY]: "n0" });
    assert.equal(r.status, 503);
  });

  it("answers 503 when the owner is unreachable", async () => {
    const r = await call("POST", "d1");
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, "unavailable");
  });

  it("counts where requests went", () => {
    const s = forwarder.stats();
    assert.equal(s.local, 1);
    assert.equal(s.forwarded, 3);
    assert.equal(s.unavailable, 2);
    assert.equal(s.forwardFailed, 1);
  });
});
