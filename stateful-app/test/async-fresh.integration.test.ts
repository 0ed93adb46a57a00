import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { type Stack, startStack } from "../../harness/stack/index.ts";
import { createEvent, Http, SINGLE_NODE } from "./http.ts";

interface Metrics {
  runtime: {
    activations: number;
    freshActivations: number;
    freshConflicts: number;
    staleStops: number;
    journal: { recoveryQueries: number; eventsWritten: number };
  };
}

// Async (write-behind) persistence honours the fresh-activation hint as sync does: a seat nobody touched is
// activated without a recovery read. A wrong hint (an event written behind the node's back) ends in a journal
// conflict that stops the activation; what it acknowledged before is lost, as write-behind loses on a crash.
describe("async persistence: fresh activations", () => {
  let stack: Stack;
  let http: Http;
  let metricsHttp: Http;
  let db: pg.Pool;
  const metrics = async () => (await metricsHttp.send("GET", "/metrics")).json as Metrics;

  before(async () => {
    stack = await startStack({ app: "stateful", nodes: 1, persistence: "async", env: SINGLE_NODE });
    http = new Http(stack.nodes[0]?.url ?? "");
    metricsHttp = new Http(stack.nodes[0]?.metricsUrl ?? "");
    db = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
    // pool.end() resolves before its clients' sockets close: PostgreSQL's shutdown notice can still reach one.
    db.on("error", () => {});
  });
  after(async () => {
    await http?.close();
    await metricsHttp?.close();
    await db?.end();
    await stack?.stop();
  });

  it("holds on untouched seats cost no recovery query", async () => {
    const eventId = await createEvent(http, 40);
    const before = await metrics();
    const holds = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        http.send("POST", `/events/${eventId}/holds`, { seatId: `A-${i + 1}`, userId: `u${i}`, requestId: `r${i}` }),
      ),
    );
    for (const h of holds) assert.equal(h.status, 201);
    const after = await metrics();
    assert.equal(after.runtime.activations - before.runtime.activations, 30);
    assert.equal(after.runtime.freshActivations - before.runtime.freshActivations, 30);
    assert.equal(after.runtime.journal.recoveryQueries, before.runtime.journal.recoveryQueries);
  });

  it("a wrong hint: the conflict stops the activation, its acknowledgement is lost, the journal wins", async () => {
    const eventId = await createEvent(http, 10);
    // Another writer holds A-3 behind the node's back: the node's board still says nobody touched it.
    const foreign = { t: "held", seatId: "A-3", holdId: "A-3.foreign", userId: "other", requestId: "rf" };
    await db.query("INSERT INTO actor_journal (persistence_id, seq_nr, event) VALUES ($1, 1, $2)", [
      `seat|${eventId}/A-3`,
      { ...foreign, expiresAt: Date.now() + 600_000 },
    ]);
    const before = await metrics();
    const wrong = await http.send("POST", `/events/${eventId}/holds`, { seatId: "A-3", userId: "u", requestId: "r" });
    assert.equal(wrong.status, 201, "write-behind acknowledges before the journal has a say");
    let now = before;
    for (let i = 0; i < 100 && now.runtime.freshConflicts === before.runtime.freshConflicts; i++) {
      await sleep(50);
      now = await metrics();
    }
    assert.equal(now.runtime.freshConflicts - before.runtime.freshConflicts, 1);
    assert.equal(now.runtime.staleStops - before.runtime.staleStops, 1);
    // Recovered from the journal now: the seat is the other writer's, and the lost hold cannot be confirmed.
    const retry = await http.send("POST", `/events/${eventId}/holds`, { seatId: "A-3", userId: "v", requestId: "r2" });
    assert.equal(retry.status, 409);
    const confirm = await http.send(
      "POST",
      `/events/${eventId}/holds/${(wrong.json as { holdId: string }).holdId}/confirm`,
    );
    assert.equal(confirm.status, 404);
    const rows = await db.query<{ seq_nr: string; event: { holdId: string } }>(
      "SELECT seq_nr, event FROM actor_journal WHERE persistence_id = $1 ORDER BY seq_nr",
      [`seat|${eventId}/A-3`],
    );
    assert.deepEqual(
      rows.rows.map((r) => `${r.seq_nr}:${r.event.holdId}`),
      ["1:A-3.foreign"],
    );
  });
});
