// The app in-process through app.request(), with real PostgreSQL and Redis: bad input writes nothing, a queued
// booking is readable before the worker writes it, and Redis state lost on a restart is rebuilt from PostgreSQL.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startWorker } from "../queue/index.ts";
import { type Fixture, snapshot, startFixture } from "./fixture.ts";

const long = (n: number) => "x".repeat(n);

async function setUp(f: Fixture, eventId: string) {
  assert.equal((await f.call("PUT", `/events/${eventId}`, { sections: [{ id: "A", seats: 10 }] })).status, 201);
  const hold = await f.call("POST", `/events/${eventId}/holds`, { seatId: "A-1", userId: "alice", requestId: "r1" });
  assert.equal(hold.status, 201);
  return hold.json as { holdId: string };
}

describe("stateless app in-process, queue mode (no worker running)", () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture("queue");
  });
  after(() => f.stop());

  it("bad input on every route: the contract's error shape, nothing written to PostgreSQL or Redis", async () => {
    const { holdId } = await setUp(f, "ev-bad");
    const sold = await f.call("POST", "/events/ev-bad/holds", { seatId: "A-2", userId: "bob", requestId: "r2" });
    const soldHold = (sold.json as { holdId: string }).holdId;
    assert.equal((await f.call("POST", `/events/ev-bad/holds/${soldHold}/confirm`)).status, 200);
    const before = await snapshot(f);
    const pad = long(64 * 1024);
    const refused: Array<[string, string, unknown, number, string, string?]> = [
      ["PUT", "/events/ev-new", { sections: [{ id: "A", seats: "10" }] }, 400, "invalid_request", "sections.0.seats"],
      ["PUT", "/events/ev-new", { sections: [{ id: "A", seats: 1 }], pad }, 413, "payload_too_large"],
      ["PUT", `/events/${long(65)}`, { sections: [{ id: "A", seats: 1 }] }, 400, "invalid_request", "eventId"],
      ["PUT", "/events/ev-bad", { sections: [{ id: "A", seats: 11 }] }, 409, "layout_conflict"],
      ["PUT", "/events/ev-new", "{", 400, "invalid_request", "body"],
      ["GET", "/events/ev-bad/seats?limit=x", undefined, 400, "invalid_request", "limit"],
      ["POST", "/events/ev-bad/holds", { seatId: 5, userId: "c", requestId: "r" }, 400, "invalid_request", "seatId"],
      ["POST", "/events/ev-bad/holds", { seatId: "A-11", userId: "c", requestId: "r" }, 404, "not_found", "seatId"],
      ["POST", "/events/ev-bad/holds", { seatId: "Z-1", userId: "c", requestId: "r" }, 404, "not_found", "seatId"],
      [
        "POST",
        "/events/ev-bad/holds",
        { seatId: "A-3", userId: long(65), requestId: "r" },
        400,
        "invalid_request",
        "userId",
      ],
      ["POST", "/events/ev-bad/holds", { seatId: "A-3", userId: "c", requestId: "r", pad }, 413, "payload_too_large"],
      ["POST", "/events/ev-bad/holds", { seatId: "A-1", userId: "c", requestId: "r" }, 409, "seat_unavailable"],
      ["POST", "/events/ev-missing/holds", { seatId: "A-1", userId: "c", requestId: "r" }, 404, "not_found", "eventId"],
      ["POST", `/events/ev-bad/holds/${holdId}/confirm`, { requestId: 1 }, 400, "invalid_request", "requestId"],
      ["POST", `/events/ev-bad/holds/${holdId}/confirm`, { pad }, 413, "payload_too_large"],
      ["POST", `/events/ev-bad/holds/${long(201)}/confirm`, undefined, 400, "invalid_request", "holdId"],
      ["POST", "/events/ev-bad/holds/A-3~AAAAAAAAAAAAAAAA/confirm", undefined, 404, "not_found", "holdId"],
      ["DELETE", `/events/ev-bad/holds/${long(201)}`, undefined, 400, "invalid_request", "holdId"],
      ["DELETE", `/events/ev-bad/holds/${soldHold}`, undefined, 409, "seat_unavailable"],
      ["DELETE", "/events/ev-bad/holds/never-issued", undefined, 404, "not_found", "holdId"],
      ["GET", `/events/ev-bad/bookings/${long(201)}`, undefined, 400, "invalid_request", "bookingId"],
      ["GET", "/events/ev-bad/bookings/A-1.AAAAAAAAAAAAAAAA", undefined, 404, "not_found", "bookingId"],
      ["GET", "/events/ev-bad/nothing", undefined, 404, "not_found"],
    ];
    for (const [method, path, body, status, code, field] of refused) {
      const res = await f.call(method, path, body);
      const what = `${method} ${path.slice(0, 60)} -> ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`;
      assert.equal(res.status, status, what);
      const err = (res.json as { error: { code: string; message: string; field?: string } }).error;
      assert.equal(err.code, code, what);
      assert.ok(err.message.length > 0, what);
      if (field) assert.equal(err.field, field, what);
    }
    assert.deepEqual(await snapshot(f), before);
  });

  it("a queued booking is served from Redis and counted as sold before the worker writes it", async () => {
    const { holdId } = await setUp(f, "ev-queue");
    const confirm = await f.call("POST", `/events/ev-queue/holds/${holdId}/confirm`);
    assert.equal(confirm.status, 200);
    const booking = confirm.json as { bookingId: string };
    const rows = () => f.rt.db.query("SELECT * FROM stateless.bookings WHERE event_id = 'ev-queue'");
    assert.equal((await rows()).rowCount, 0, "no worker yet, so not in PostgreSQL");
    assert.deepEqual((await f.call("GET", `/events/ev-queue/bookings/${booking.bookingId}`)).json, confirm.json);
    assert.equal(((await f.call("GET", "/events/ev-queue")).json as { sold: number }).sold, 1);
    const metrics = (await f.call("GET", "/metrics")).json as { queue: { waiting: number }; pending: number };
    assert.ok(metrics.queue.waiting >= 1 && metrics.pending >= 1, JSON.stringify(metrics));

    const w = startWorker({ ...workerDeps(f), overdueMs: 60_000 });
    try {
      for (let i = 0; i < 200 && (await rows()).rowCount === 0; i++) await new Promise((r) => setTimeout(r, 25));
      assert.equal((await rows()).rowCount, 1);
      assert.equal((await rows()).rows[0].booking_id, booking.bookingId);
    } finally {
      await w.close();
    }
  });
});

describe("stateless app in-process: hold expiry by Redis TTL", () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture("queue");
  });
  after(() => f.stop());

  it("1,100 expired holds are reaped back into the available index; counts are exact before any reaping", async () => {
    const eventId = "ev-expiry";
    const body = { sections: [{ id: "A", seats: 1_200 }], holdTtlMs: 300 };
    assert.equal((await f.call("PUT", `/events/${eventId}`, body)).status, 201);
    const holds = await Promise.all(
      Array.from({ length: 1_100 }, (_, i) =>
        f.call("POST", `/events/${eventId}/holds`, { seatId: `A-${i + 1}`, userId: "u", requestId: `r${i}` }),
      ),
    );
    assert.ok(holds.every((h) => h.status === 201));
    const lastExpiry = Math.max(...holds.map((h) => Date.parse((h.json as { expiresAt: string }).expiresAt)));
    await new Promise((r) => setTimeout(r, Math.max(0, lastExpiry - Date.now()) + 20));
    // The summary counts live holds by expiry time: no reaping needed.
    assert.deepEqual((await f.call("GET", `/events/${eventId}`)).json, {
      eventId,
      capacity: 1_200,
      available: 1_200,
      held: 0,
      sold: 0,
    });
    const listed = (await f.call("GET", `/events/${eventId}/seats?status=available&limit=1000`)).json as {
      seats: Array<{ seatId: string }>;
    };
    assert.deepEqual(
      listed.seats.map((s) => s.seatId),
      Array.from({ length: 1_000 }, (_, i) => `A-${i + 1}`),
    );
    assert.deepEqual((await f.call("GET", `/events/${eventId}/seats?status=held`)).json, { seats: [] });
    // The expired hold's seat can be taken again, and its old hold can no longer be confirmed.
    const again = await f.call("POST", `/events/${eventId}/holds`, { seatId: "A-1", userId: "v", requestId: "new" });
    assert.equal(again.status, 201);
    const oldHold = (holds[0]?.json as { holdId: string } | undefined)?.holdId;
    assert.ok(oldHold);
    assert.equal((await f.call("POST", `/events/${eventId}/holds/${oldHold}/confirm`)).status, 410);
  });
});

function workerDeps(f: Fixture) {
  return {
    redisUrl: f.redis.url,
    db: f.rt.db,
    store: f.rt.store,
    queue: f.rt.queue,
    log: f.rt.log,
    concurrency: 50,
    batchMax: 100,
    lockMs: 5_000,
  };
}

describe("stateless app in-process, sync mode", () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture("sync");
  });
  after(() => f.stop());

  it("acknowledges a confirm after the PostgreSQL commit", async () => {
    const { holdId } = await setUp(f, "ev-sync");
    const confirm = await f.call("POST", `/events/ev-sync/holds/${holdId}/confirm`);
    assert.equal(confirm.status, 200);
    const rows = await f.rt.db.query("SELECT booking_id FROM stateless.bookings WHERE event_id = 'ev-sync'");
    assert.deepEqual(rows.rows, [{ booking_id: (confirm.json as { bookingId: string }).bookingId }]);
  });

  it("Redis restarted empty: event state is rebuilt from PostgreSQL, sold seats stay sold", async () => {
    const { holdId } = await setUp(f, "ev-flush");
    const confirm = await f.call("POST", `/events/ev-flush/holds/${holdId}/confirm`);
    assert.equal(confirm.status, 200);
    await f.rt.redis.flushall();
    const summary = (await f.call("GET", "/events/ev-flush")).json;
    assert.deepEqual(summary, { eventId: "ev-flush", capacity: 10, available: 9, held: 0, sold: 1 });
    const again = await f.call("POST", "/events/ev-flush/holds", { seatId: "A-1", userId: "bob", requestId: "r9" });
    assert.equal(again.status, 409);
    const bookingId = (confirm.json as { bookingId: string }).bookingId;
    assert.deepEqual((await f.call("GET", `/events/ev-flush/bookings/${bookingId}`)).json, confirm.json);
    assert.equal((await f.call("POST", `/events/ev-flush/holds/${holdId}/confirm`)).status, 200, "same booking");
  });
});
