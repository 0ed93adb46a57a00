import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Hold } from "../../contract/index.ts";
import { type Stack, startStack } from "../../harness/stack/index.ts";
import { createEvent, Http, SINGLE_NODE } from "./http.ts";

const HOLDS = 50;
// Write-behind delay of the async node: long enough that a SIGKILL right after the acks always beats the write.
const WINDOW_MS = 3_000;

/** Waits until the node's journal has committed at least `events` events (the async create of the event). */
async function committed(metricsUrl: string, events: number): Promise<void> {
  const http = new Http(metricsUrl);
  try {
    for (let i = 0; i < 200; i++) {
      const metrics = (await http.send("GET", "/metrics")).json as { runtime: { journal: { eventsWritten: number } } };
      if (metrics.runtime.journal.eventsWritten >= events) return;
      await sleep(50);
    }
  } finally {
    await http.close();
  }
  throw new Error("the journal never committed");
}

/** Holds seats A-1..A-n; returns the acknowledged holds. */
async function holdAll(http: Http, eventId: string, n: number): Promise<Hold[]> {
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      http.send("POST", `/events/${eventId}/holds`, { seatId: `A-${i + 1}`, userId: `u${i}`, requestId: `r${i}` }),
    ),
  );
  for (const a of answers) assert.equal(a.status, 201);
  return answers.map((a) => a.json as Hold);
}

/** The acknowledged holds the node does not know (their seat is not held): what the audit would flag. */
async function lostHolds(http: Http, eventId: string, acked: Hold[]): Promise<Hold[]> {
  const listing = (await http.send("GET", `/events/${eventId}/seats?status=held&limit=1000`)).json as {
    seats: Array<{ seatId: string }>;
  };
  const held = new Set(listing.seats.map((s) => s.seatId));
  return acked.filter((h) => !held.has(h.seatId));
}

// PERSISTENCE=async acknowledges before the commit (the seed article's "asynchronously persist"): fast, but a
// crash loses what was acknowledged and not yet written. A graceful stop flushes first and loses nothing.
describe("async (write-behind) persistence", () => {
  let stack: Stack;
  const clients: Http[] = [];
  before(async () => {
    stack = await startStack({
      app: "stateful",
      nodes: 1,
      persistence: "async",
      env: { ...SINGLE_NODE, JOURNAL_WINDOW_MS: String(WINDOW_MS) },
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await stack?.stop();
  });

  it("SIGKILL loses acknowledged holds, and comparing the acks with the restarted node detects it", async (t) => {
    const node = stack.nodes[0];
    assert.ok(node);
    const http = new Http(node.url);
    clients.push(http);
    const eventId = await createEvent(http, HOLDS);
    await committed(node.metricsUrl, 1);
    const acked = await holdAll(http, eventId, HOLDS);
    await stack.killNode(node.id, "SIGKILL");

    const [restarted] = await stack.addNodes(1);
    assert.ok(restarted);
    const again = new Http(restarted.url);
    clients.push(again);
    const lost = await lostHolds(again, eventId, acked);
    t.diagnostic(`acknowledged ${acked.length} holds, lost ${lost.length} on SIGKILL`);
    assert.ok(lost.length > 0, "async mode lost nothing: the write-behind window was not exercised");
    // Each lost hold's seat is available again: another user could now buy a seat someone holds a 201 for.
    const summary = (await again.send("GET", `/events/${eventId}`)).json as { available: number; held: number };
    assert.equal(summary.held, HOLDS - lost.length);
    assert.equal(summary.available, lost.length);
  });

  it("SIGTERM flushes the write-behind first: nothing acknowledged is lost", async () => {
    const node = stack.nodes.at(-1);
    assert.ok(node);
    const http = new Http(node.url);
    clients.push(http);
    const eventId = await createEvent(http, HOLDS);
    const acked = await holdAll(http, eventId, HOLDS);
    await stack.stopNode(node.id);

    const [restarted] = await stack.addNodes(1);
    assert.ok(restarted);
    const again = new Http(restarted.url);
    clients.push(again);
    assert.deepEqual(await lostHolds(again, eventId, acked), []);
  });
});
