import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { type Haproxy, sleep, startHaproxy } from "./index.ts";

/** A tiny backend that names itself in every answer; /health is 200 while `healthy`. */
async function tinyServer(name: string): Promise<{ server: Server; url: string; state: { healthy: boolean } }> {
  const state = { healthy: true };
  const server = createServer((req, res) => {
    if (req.url === "/health") res.statusCode = state.healthy ? 200 : 503;
    res.end(name);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}`, state };
}

async function names(url: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${url}/x`);
    out.push(res.status === 200 ? await res.text() : `status ${res.status}`);
  }
  return out;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("startHaproxy", () => {
  let lb: Haproxy;
  const servers: Server[] = [];

  before(async () => {
    const a = await tinyServer("a");
    const b = await tinyServer("b");
    servers.push(a.server, b.server);
    lb = await startHaproxy({
      backends: [
        { id: "a", url: a.url },
        { id: "b", url: b.url },
      ],
    });
  });

  after(async () => {
    await lb?.stop();
    for (const s of servers) s.closeAllConnections();
    for (const s of servers) s.close();
  });

  it("forwards requests to both backends", async () => {
    const seen = await names(lb.url, 6);
    assert.deepEqual([...new Set(seen)].sort(), ["a", "b"]);
  });

  it("refuses /metrics on its listener even when a backend would serve it (the nodes serve it on their own port)", async () => {
    for (const path of ["/metrics", "/metrics/", "/metrics/x"]) {
      const res = await fetch(`${lb.url}${path}`);
      await res.body?.cancel();
      assert.equal(res.status, 404, path);
    }
    assert.deepEqual([...new Set(await names(lb.url, 4))].sort(), ["a", "b"], "other paths still pass");
  });

  it("stops sending to a removed backend and keeps serving", async () => {
    await lb.removeBackend("a");
    assert.deepEqual(new Set(await names(lb.url, 6)), new Set(["b"]));
  });

  it("adds a backend while running (same listener)", async () => {
    const c = await tinyServer("c");
    servers.push(c.server);
    await lb.addBackend({ id: "c", url: c.url });
    assert.deepEqual([...new Set(await names(lb.url, 6))].sort(), ["b", "c"]);
  });

  it("takes a backend whose health check fails out of rotation", async () => {
    const d = await tinyServer("d");
    servers.push(d.server);
    await lb.addBackend({ id: "d", url: d.url });
    d.state.healthy = false;
    await until("d to be DOWN", async () => (await lb.stats()).find((s) => s.id === "d")?.status === "DOWN");
    assert.equal((await names(lb.url, 6)).includes("d"), false);
    await lb.removeBackend("d");
  });

  it("reports per-backend counters", async () => {
    const stats = await lb.stats();
    const byId = new Map(stats.map((s) => [s.id, s]));
    assert.deepEqual([...byId.keys()].sort(), ["a", "b", "c", "d"]);
    assert.equal(byId.get("a")?.registered, false);
    assert.equal(byId.get("a")?.status, "MAINT");
    assert.equal(byId.get("b")?.status, "UP");
    assert.ok((byId.get("b")?.sessions ?? 0) > 0);
    assert.ok((byId.get("b")?.http2xx ?? 0) >= 6);
  });

  it("refuses a duplicate backend id and names an unknown one", async () => {
    await assert.rejects(lb.addBackend({ id: "b", url: "http://127.0.0.1:1" }), /backend b exists/);
    await assert.rejects(lb.removeBackend("zz"), /no backend zz/);
  });

  it("fails clearly when a backend never becomes healthy", async () => {
    const slow = await startHaproxy({ timeoutMs: 1500 });
    try {
      await assert.rejects(
        slow.addBackend({ id: "dead", url: "http://127.0.0.1:1" }),
        /backend dead .* did not pass GET \/health/,
      );
    } finally {
      await slow.stop();
    }
  });
});
