// The Forward hook between two real HTTP servers on 127.0.0.1 (no database): local, forwarded, 503, one-hop rule,
// and node-to-node trust (a client's copy of the internal headers without the secret changes nothing).
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Route } from "../runtime/placement.ts";
import { Forwarder } from "./forward.ts";
import { CLUSTER_AUTH, FORWARDED_BY, PeerAuth } from "./peer-auth.ts";

const SECRET = "a-test-cluster-secret";

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

let nodeUrl = "";
let forwarder: Forwarder;

before(async () => {
  const peer = new Hono();
  peer.post("/things/:key", async (c) =>
    c.json(
      {
        served: "peer",
        key: c.req.param("key"),
        by: c.req.header(FORWARDED_BY),
        authenticated: c.req.header(CLUSTER_AUTH) === SECRET,
        body: await c.req.json(),
      },
      201,
      { "retry-after": "7" },
    ),
  );
  peer.delete("/things/:key", (c) => c.body(null, 204));
  const peerUrl = await listen(peer);

  forwarder = new Forwarder({ auth: new PeerAuth("n1", SECRET), timeoutMs: 2000 });
  // Key "a..": local, "b..": on the peer, "x..": moving, "d..": on a dead peer.
  const table: Record<string, Route> = {
    a: { kind: "local" },
    b: { kind: "remote", url: peerUrl },
    x: { kind: "unavailable", retryAfterMs: 1500 },
    d: { kind: "remote", url: "http://127.0.0.1:9" },
  };
  const app = new Hono();
  app.on(["POST", "DELETE"], "/things/:key", async (c) => {
    const body = c.req.method === "POST" ? await c.req.text() : undefined;
    const route = table[c.req.param("key")[0] ?? "a"] ?? { kind: "local" };
    return (await forwarder.route(c, route, body)) ?? c.json({ served: "local", body: JSON.parse(body ?? "{}") });
  });
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

describe("cluster forwarding", () => {
  it("serves a local shard here", async () => {
    const r = await call("POST", "a1");
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { served: "local", body: { n: 1 } });
  });

  it("forwards to the owner with the body and the cluster secret, and passes its status and headers back", async () => {
    const r = await call("POST", "b1");
    assert.equal(r.status, 201);
    assert.deepEqual(r.json, { served: "peer", key: "b1", by: "n1", authenticated: true, body: { n: 1 } });
    assert.equal(r.headers.get("retry-after"), "7");
    assert.match(r.headers.get("content-type") ?? "", /application\/json/);
    const del = await call("DELETE", "b2");
    assert.equal(del.status, 204);
  });

  it("answers 503 unavailable with Retry-After for a moving shard", async () => {
    const r = await call("POST", "x1");
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, "unavailable");
    assert.equal(r.headers.get("retry-after"), "2");
  });

  it("never forwards a peer's request twice", async () => {
    const r = await call("POST", "b1", { [FORWARDED_BY]: "n0", [CLUSTER_AUTH]: SECRET });
    assert.equal(r.status, 503);
    const local = await call("POST", "a2", { [FORWARDED_BY]: "n0", [CLUSTER_AUTH]: SECRET });
    assert.equal(local.status, 200);
  });

  it("treats a client's internal headers without the secret as an ordinary client request", async () => {
    const forged = await call("POST", "b3", { [FORWARDED_BY]: "n0" });
    assert.equal(forged.status, 201, "forwarded like any client request");
    assert.equal(forged.json.by, "n1");
    const wrong = await call("POST", "b4", { [FORWARDED_BY]: "n0", [CLUSTER_AUTH]: "not-the-cluster-secret" });
    assert.equal(wrong.status, 201);
  });

  it("answers 503 when the owner is unreachable", async () => {
    const r = await call("POST", "d1");
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, "unavailable");
  });

  it("counts where requests went", () => {
    assert.deepEqual(forwarder.stats(), {
      local: 1,
      forwarded: 5,
      unavailable: 1,
      fromPeers: 1,
      refusedHops: 1,
      forwardFailed: 1,
    });
  });
});
