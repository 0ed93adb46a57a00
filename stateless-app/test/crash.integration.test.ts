// SIGKILL an API replica and the worker while confirmations flow; after a restarted worker drains the queue, every
// acknowledged confirmation is in PostgreSQL exactly once, and every seat Redis counts as sold is in PostgreSQL.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Stack, startStack } from "../../harness/stack/index.ts";
import { loadConfig } from "../config.ts";
import { queueDepth, startWorker } from "../queue/index.ts";
import { createRuntime, type Runtime } from "../runtime.ts";
import { jsonClient, until } from "./http.ts";

const SEATS = 3_000;
const CLIENTS = 32;
const LOAD_MS = 4_000;
const KILL_AT_MS = 1_200;

describe("stateless crash: SIGKILL a replica and the worker mid-flow", () => {
  let stack: Stack;
  let rt: Runtime;
  const http = jsonClient(() => stack.url, CLIENTS);
  before(async () => {
    // Short job locks so the killed worker's jobs return to the queue within seconds.
    stack = await startStack({ app: "stateless", nodes: 2, workers: 1, env: { WORKER_LOCK_MS: "2000" } });
    const { databaseUrl, redisUrl } = stack;
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl ?? "",
      NODE_ID: "test",
      LOG_LEVEL: "silent",
    });
    rt = await createRuntime(config, "worker");
  });
  after(async () => {
    await http.close();
    await rt?.close();
    await stack?.stop();
  });

  it("every acknowledged confirmation reaches PostgreSQL exactly once", async (t) => {
    const eventId = `ev-crash-${Date.now()}`;
    assert.equal((await http.send("PUT", `/events/${eventId}`, { sections: [{ id: "A", seats: SEATS }] })).status, 201);

    const acked = new Map<string, string>(); // bookingId -> seatId
    let ackedAfterKill = 0;
    let killed = false;
    let next = 1;
    const started = Date.now();
    const client = async (c: number) => {
      while (Date.now() - started < LOAD_MS && next <= SEATS) {
        const seatId = `A-${next++}`;
        try {
          const hold = await http.send("POST", `/events/${eventId}/holds`, {
            seatId,
            userId: `u${c}`,
            requestId: `r-${seatId}`,
          });
          if (hold.status !== 201) continue;
          const confirm = await http.send("POST", `/events/${eventId}/holds/${hold.json.holdId}/confirm`);
          if (confirm.status !== 200) continue;
          acked.set(String(confirm.json.bookingId), seatId);
          if (killed) ackedAfterKill++;
        } catch {
          // a connection cut by the kill: not acknowledged, so no promise to keep
        }
      }
    };
    let busyWorker = false;
    const kill = (async () => {
      await new Promise((r) => setTimeout(r, KILL_AT_MS));
      // Aim the kill at a worker holding jobs (mid-batch): poll the active count briefly first.
      const deadline = Date.now() + 3_000;
      while (!busyWorker && Date.now() < deadline) busyWorker = (await queueDepth(rt.queue)).active > 0;
      await Promise.all([stack.killNode("worker-1", "SIGKILL"), stack.killNode("node-1", "SIGKILL")]);
      killed = true;
    })();
    await Promise.all([kill, ...Array.from({ length: CLIENTS }, (_, c) => client(c))]);
    assert.ok(killed, "the kill happened");
    assert.ok(busyWorker, "the worker never had active jobs while confirmations flowed");
    assert.ok(acked.size > 0 && ackedAfterKill > 0, `acked ${acked.size}, after the kill ${ackedAfterKill}`);

    const depth = await queueDepth(rt.queue);
    const pending = await rt.store.pendingCount();
    // The restarted worker: recovers the stalled jobs, re-enqueues bookings whose enqueue never happened.
    const w = startWorker({
      redisUrl: stack.redisUrl ?? "",
      db: rt.db,
      store: rt.store,
      queue: rt.queue,
      log: rt.log,
      concurrency: 200,
      batchMax: 200,
      lockMs: 2_000,
      overdueMs: 1_000,
    });
    try {
      const drained = await until(async () => {
        const d = await queueDepth(rt.queue);
        return d.waiting + d.active + d.delayed === 0 && (await rt.store.pendingCount()) === 0;
      }, 40_000);
      assert.ok(drained, `queue not drained: ${JSON.stringify(await queueDepth(rt.queue))}`);
      assert.equal((await queueDepth(rt.queue)).failed, 0);
    } finally {
      await w.close();
    }

    const rows = (
      await rt.db.query<{ booking_id: string; seat_id: string }>(
        "SELECT booking_id, seat_id FROM stateless.bookings WHERE event_id = $1",
        [eventId],
      )
    ).rows;
    const inPg = new Map(rows.map((r) => [r.booking_id, r.seat_id]));
    assert.equal(inPg.size, rows.length, "a booking id twice");
    assert.equal(new Set(rows.map((r) => r.seat_id)).size, rows.length, "a seat sold twice");
    const missing = [...acked.keys()].filter((id) => !inPg.has(id));
    assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged bookings missing`);
    for (const [id, seat] of acked) assert.equal(inPg.get(id), seat);
    const summary = (await http.send("GET", `/events/${eventId}`)).json;
    t.diagnostic(
      `acked ${acked.size} (${ackedAfterKill} after the kill); at restart: queue ${JSON.stringify(depth)}, ` +
        `pending ${pending}; in PostgreSQL ${rows.length}; sold in Redis ${summary.sold}`,
    );
    assert.equal(summary.sold, rows.length, "Redis counts as sold exactly what PostgreSQL holds");
  });
});
