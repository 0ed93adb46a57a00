import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Hono } from "hono";
import { admission, OVERLOADED } from "./admission.ts";

/** An app whose /work requests wait until `release()`: the test decides how many are in flight. */
function gatedApp(maxInFlight: number) {
  const gate = admission({ maxInFlight });
  const waiting: Array<() => void> = [];
  const app = new Hono();
  app.use(gate.middleware);
  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/work", async (c) => {
    await new Promise<void>((resolve) => waiting.push(resolve));
    return c.json({ done: true });
  });
  app.get("/fail", () => {
    throw new Error("boom");
  });
  app.onError((_err, c) => c.json({ error: "internal" }, 500));
  const release = () => {
    for (const r of waiting.splice(0)) r();
  };
  /** Waits until `n` requests (default: every admitted one) wait in the handler. */
  const settled = async (n?: number) => {
    while (waiting.length < (n ?? gate.stats().inFlight)) await new Promise((r) => setImmediate(r));
  };
  return { app, gate, release, settled };
}

describe("admission", () => {
  it("answers the request over the bound at once with 503, Retry-After: 1 and the overload body", async () => {
    const { app, gate, release, settled } = gatedApp(2);
    const admitted = [app.request("/work"), app.request("/work")];
    await settled();
    const shed = await app.request("/work");
    assert.equal(shed.status, 503);
    assert.equal(shed.headers.get("retry-after"), "1");
    assert.equal(shed.headers.get("content-type"), "application/json");
    const body = (await shed.json()) as { error: string };
    assert.equal(body.error, "overloaded");
    assert.deepEqual(body, OVERLOADED.body);
    release();
    for (const res of await Promise.all(admitted)) assert.equal(res.status, 200);
    assert.deepEqual(gate.stats(), { maxInFlight: 2, inFlight: 0, peakInFlight: 2, admitted: 2, shed: 1 });
  });

  it("admits again once requests finish, also after a handler threw", async () => {
    const { app, gate, release, settled } = gatedApp(1);
    assert.equal((await app.request("/fail")).status, 500);
    const first = app.request("/work");
    await settled();
    assert.equal((await app.request("/work")).status, 503);
    release();
    assert.equal((await first).status, 200);
    const again = app.request("/work");
    await settled();
    release();
    assert.equal((await again).status, 200);
    assert.equal(gate.stats().inFlight, 0);
  });

  it("never sheds nor counts the exempt paths (health checks)", async () => {
    const { app, gate, release, settled } = gatedApp(1);
    const busy = app.request("/work");
    await settled();
    for (let i = 0; i < 3; i++) assert.equal((await app.request("/health")).status, 200);
    assert.equal(gate.stats().inFlight, 1);
    release();
    await busy;
  });

  it("has no bound with maxInFlight 0", async () => {
    const { app, gate, release, settled } = gatedApp(0);
    const all = Array.from({ length: 20 }, () => app.request("/work"));
    await settled(20);
    release();
    for (const res of await Promise.all(all)) assert.equal(res.status, 200);
    assert.equal(gate.stats().shed, 0);
  });
});
