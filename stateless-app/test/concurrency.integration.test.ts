// 2,000 concurrent hold attempts over 100 seats from 2,000 users through HAProxy and 3 API replicas: at most one
// live hold per seat; confirming every winner gives exactly one booking per seat in PostgreSQL.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { type Stack, startStack } from "../../harness/stack/index.ts";
import { jsonClient, until } from "./http.ts";

const SEATS = 100;
const ATTEMPTS = 2_000;

describe("stateless concurrency: 2,000 holds on 100 seats, 3 replicas", () => {
  let stack: Stack;
  let db: pg.Pool;
  const http = jsonClient(() => stack.url, 500);
  before(async () => {
    stack = await startStack({ app: "stateless", nodes: 3 });
    db = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
    // pool.end() resolves before its clients' sockets close: PostgreSQL's shutdown notice can still reach one.
    db.on("error", () => {});
  });
  after(async () => {
    await http.close();
    await db?.end();
    await stack?.stop();
  });

  it("one winner per seat, one booking per seat", async () => {
    const eventId = `ev-conc-${Date.now()}`;
    assert.equal((await http.send("PUT", `/events/${eventId}`, { sections: [{ id: "A", seats: SEATS }] })).status, 201);
    const attempts = Array.from({ length: ATTEMPTS }, (_, i) => ({
      seatId: `A-${(i % SEATS) + 1}`,
      userId: `user-${i}`,
      requestId: `req-${i}`,
    }));
    const replies = await Promise.all(attempts.map((b) => http.send("POST", `/events/${eventId}/holds`, b)));
    const statuses = new Map<number, number>();
    for (const r of replies) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    assert.deepEqual([...statuses.keys()].sort(), [201, 409], `statuses: ${JSON.stringify([...statuses])}`);

    const winners = replies.filter((r) => r.status === 201).map((r) => r.json as { holdId: string; seatId: string });
    const seatsWon = new Set(winners.map((w) => w.seatId));
    assert.equal(seatsWon.size, winners.length, "two holds on one seat");
    // Every seat was tried 20 times at once with a 10-minute TTL: each has exactly one winner.
    assert.equal(winners.length, SEATS);
    const summary = (await http.send("GET", `/events/${eventId}`)).json;
    assert.deepEqual(summary, { eventId, capacity: SEATS, available: 0, held: SEATS, sold: 0 });

    const confirms = await Promise.all(
      winners.map((w) => http.send("POST", `/events/${eventId}/holds/${w.holdId}/confirm`)),
    );
    assert.ok(
      confirms.every((c) => c.status === 200),
      JSON.stringify(confirms.filter((c) => c.status !== 200)),
    );
    const acked = new Set(confirms.map((c) => String(c.json.bookingId)));
    const rows = async () =>
      (
        await db.query<{ booking_id: string; seat_id: string }>(
          "SELECT booking_id, seat_id FROM stateless.bookings WHERE event_id = $1",
          [eventId],
        )
      ).rows;
    assert.ok(
      await until(async () => (await rows()).length >= SEATS, 30_000),
      "the worker did not write every booking",
    );
    const written = await rows();
    assert.equal(written.length, SEATS);
    assert.equal(new Set(written.map((r) => r.seat_id)).size, SEATS);
    assert.deepEqual(new Set(written.map((r) => r.booking_id)), acked);
    const after = (await http.send("GET", `/events/${eventId}`)).json;
    assert.deepEqual(after, { eventId, capacity: SEATS, available: 0, held: 0, sold: SEATS });
  });

  it("SIGTERM: an API replica and the worker shut down gracefully (exit code 0), the others keep serving", async () => {
    const api = stack.nodes.find((n) => n.id === "node-1");
    const worker = stack.nodes.find((n) => n.role === "worker");
    assert.ok(api && worker);
    await Promise.all([stack.stopNode(api.id), stack.stopNode(worker.id)]);
    assert.equal(await api.exited, 0);
    assert.equal(await worker.exited, 0);
    assert.equal((await http.send("GET", "/health")).status, 200);
  });
});
