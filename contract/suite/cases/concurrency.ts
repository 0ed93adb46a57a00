import assert from "node:assert/strict";
import { Booking, Hold } from "../../schemas.ts";
import { freshId } from "../api.ts";
import { describeReply } from "../client.ts";
import type { SuiteContext } from "../context.ts";
import { expectError, expectOk } from "../expect.ts";

const CLIENTS = 200;

/** Many requests in flight at once: the seat is the unit of exclusion, retries stay idempotent under races. */
export function concurrencyCases({ api, test }: SuiteContext): void {
  const { client } = api;
  // The burst first opens its connections with harmless reads, so the holds then arrive close together: a
  // check-then-act race in the app gets the overlap it needs to show.
  const warm = (eventId: string, n: number) =>
    Promise.all(Array.from({ length: n }, () => client.sendRetrying("GET", `/events/${eventId}`)));
  const holdConcurrently = async (eventId: string, bodies: unknown[]) => {
    await warm(eventId, bodies.length);
    return Promise.all(bodies.map((json) => client.sendRetrying("POST", `/events/${eventId}/holds`, { json })));
  };

  test("200 concurrent holds on one seat: exactly one 201, the rest 409 seat_unavailable", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: 5 }]);
    const bodies = Array.from({ length: CLIENTS }, (_, i) => ({
      seatId: "A-3",
      userId: `u${i}`,
      requestId: freshId("r"),
    }));
    const replies = await holdConcurrently(eventId, bodies);
    const won = replies.filter((r) => r.status === 201);
    assert.equal(won.length, 1, `201 answers: ${won.map(describeReply).join("\n")}`);
    for (const reply of replies) if (reply.status !== 201) expectError(reply, "seat_unavailable");
    const winner = expectOk(won[0] ?? assert.fail("no winner"), 201, Hold);
    await api.expectCounts(eventId, { capacity: 5, available: 4, held: 1, sold: 0 });
    assert.equal((await api.confirmOk(eventId, winner)).seatId, "A-3");
  });

  test("200 concurrent holds on 200 seats: all 201", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: CLIENTS + 10 }]);
    const bodies = Array.from({ length: CLIENTS }, (_, i) => ({
      seatId: `A-${i + 1}`,
      userId: `u${i}`,
      requestId: freshId("r"),
    }));
    const replies = await holdConcurrently(eventId, bodies);
    const holds = replies.map((reply) => expectOk(reply, 201, Hold));
    assert.deepEqual(
      holds.map((h) => h.seatId),
      bodies.map((b) => b.seatId),
    );
    assert.equal(new Set(holds.map((h) => h.holdId)).size, CLIENTS, "hold ids are unique");
    await api.expectCounts(eventId, { capacity: CLIENTS + 10, available: 10, held: CLIENTS, sold: 0 });
  });

  test("50 concurrent retries of one hold request: all 201 with the same hold", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: 2 }]);
    const body = { seatId: "A-1", userId: "alice", requestId: freshId("r") };
    const replies = await holdConcurrently(
      eventId,
      Array.from({ length: 50 }, () => body),
    );
    const holds = replies.map((reply) => expectOk(reply, 201, Hold));
    for (const hold of holds) assert.deepEqual(hold, holds[0]);
    await api.expectCounts(eventId, { capacity: 2, available: 1, held: 1, sold: 0 });
  });

  test("50 concurrent confirms of one hold: all 200 with the same booking", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: 2 }]);
    const hold = await api.holdOk(eventId, "A-2");
    const path = `/events/${eventId}/holds/${hold.holdId}/confirm`;
    await warm(eventId, 50);
    const replies = await Promise.all(Array.from({ length: 50 }, () => client.sendRetrying("POST", path)));
    const bookings = replies.map((reply) => expectOk(reply, 200, Booking));
    for (const booking of bookings) assert.deepEqual(booking, bookings[0]);
    await api.expectCounts(eventId, { capacity: 2, available: 1, held: 0, sold: 1 });
  });
}
