import assert from "node:assert/strict";
import { Hold } from "../../schemas.ts";
import { freshId } from "../api.ts";
import type { SuiteContext } from "../context.ts";
import { expectError, expectNoContent, expectOk, GENERATED_ID } from "../expect.ts";

// expiresAt is compared with this process's clock: the suite and the apps run on one machine.
const CLOCK_SLACK_MS = 2_000;

/** `POST /events/{eventId}/holds`, its idempotency, and `DELETE /events/{eventId}/holds/{holdId}`. */
export function holdCases({ api, test }: SuiteContext): void {
  test("POST hold: 201 with holdId, seatId, userId and expiresAt = now + holdTtlMs", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: 3 }], 120_000);
    const before = Date.now();
    const hold = await api.holdOk(eventId, "A-2", "alice");
    const after = Date.now();
    assert.match(hold.holdId, GENERATED_ID);
    const expiresAt = Date.parse(hold.expiresAt);
    assert.ok(expiresAt >= before + 120_000 - CLOCK_SLACK_MS, `expiresAt ${hold.expiresAt} too early`);
    assert.ok(expiresAt <= after + 120_000 + CLOCK_SLACK_MS, `expiresAt ${hold.expiresAt} too late`);
    await api.expectSeatStatus(eventId, "A-2", "held");
    await api.expectCounts(eventId, { available: 2, held: 1, sold: 0 });
  });

  test("POST hold on a seat held by another user: 409 seat_unavailable", async () => {
    const eventId = await api.createEvent();
    await api.holdOk(eventId, "A-1", "alice");
    expectError(await api.hold(eventId, { seatId: "A-1", userId: "bob", requestId: freshId("r") }), "seat_unavailable");
    await api.expectCounts(eventId, { available: 9, held: 1, sold: 0 });
  });

  test("POST hold on a seat the same user holds, new requestId: 409 seat_unavailable", async () => {
    const eventId = await api.createEvent();
    await api.holdOk(eventId, "A-1", "alice");
    const again = { seatId: "A-1", userId: "alice", requestId: freshId("r") };
    expectError(await api.hold(eventId, again), "seat_unavailable");
  });

  test("POST hold on a sold seat: 409 seat_unavailable", async () => {
    const eventId = await api.createEvent();
    await api.confirmOk(eventId, await api.holdOk(eventId, "A-1", "alice"));
    expectError(await api.hold(eventId, { seatId: "A-1", userId: "bob", requestId: freshId("r") }), "seat_unavailable");
    await api.expectCounts(eventId, { available: 9, held: 0, sold: 1 });
  });

  test("POST hold retried with the same requestId: the same 201 answer, one hold", async () => {
    const eventId = await api.createEvent();
    const body = { seatId: "A-1", userId: "alice", requestId: freshId("r") };
    const first = expectOk(await api.hold(eventId, body), 201, Hold);
    const second = expectOk(await api.hold(eventId, body), 201, Hold);
    assert.deepEqual(second, first);
    await api.expectCounts(eventId, { available: 9, held: 1, sold: 0 });
  });

  test("POST hold retried after confirm: the same answer, the seat stays sold", async () => {
    const eventId = await api.createEvent();
    const body = { seatId: "A-1", userId: "alice", requestId: freshId("r") };
    const first = expectOk(await api.hold(eventId, body), 201, Hold);
    await api.confirmOk(eventId, first);
    assert.deepEqual(expectOk(await api.hold(eventId, body), 201, Hold), first);
    await api.expectCounts(eventId, { available: 9, held: 0, sold: 1 });
  });

  test("POST hold retried after release: the same answer, the seat is not held again", async () => {
    const eventId = await api.createEvent();
    const body = { seatId: "A-1", userId: "alice", requestId: freshId("r") };
    const first = expectOk(await api.hold(eventId, body), 201, Hold);
    expectNoContent(await api.release(eventId, first.holdId));
    assert.deepEqual(expectOk(await api.hold(eventId, body), 201, Hold), first);
    await api.expectCounts(eventId, { available: 10, held: 0, sold: 0 });
    expectError(await api.confirm(eventId, first.holdId), "hold_expired");
  });

  test("POST hold: a requestId is scoped to seat and user, reusing it elsewhere is a new request", async () => {
    const eventId = await api.createEvent();
    const requestId = freshId("r");
    const first = expectOk(await api.hold(eventId, { seatId: "A-1", userId: "alice", requestId }), 201, Hold);
    const other = expectOk(await api.hold(eventId, { seatId: "A-2", userId: "alice", requestId }), 201, Hold);
    assert.notEqual(other.holdId, first.holdId);
    assert.equal(other.seatId, "A-2");
    // Another user replaying alice's request id must not receive alice's hold.
    expectError(await api.hold(eventId, { seatId: "A-1", userId: "bob", requestId }), "seat_unavailable");
    await api.expectCounts(eventId, { available: 8, held: 2, sold: 0 });
  });

  test("POST hold on a seat the event does not have: 404 not_found naming seatId", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: 10 }]);
    for (const seatId of ["Z-1", "A-11", "A-0", "A-01", "nope", "A-1-1"]) {
      expectError(await api.hold(eventId, { seatId, userId: "alice", requestId: freshId("r") }), "not_found", "seatId");
    }
    await api.expectCounts(eventId, { available: 10, held: 0, sold: 0 });
  });

  test("POST hold on an unknown event: 404 not_found naming eventId", async () => {
    const body = { seatId: "A-1", userId: "alice", requestId: freshId("r") };
    expectError(await api.hold(freshId("missing"), body), "not_found", "eventId");
  });

  test("DELETE hold: 204, the seat is available to another user", async () => {
    const eventId = await api.createEvent();
    const hold = await api.holdOk(eventId, "A-1", "alice");
    expectNoContent(await api.release(eventId, hold.holdId));
    await api.expectSeatStatus(eventId, "A-1", "available");
    await api.expectCounts(eventId, { available: 10, held: 0, sold: 0 });
    await api.holdOk(eventId, "A-1", "bob");
  });

  test("DELETE hold twice: 204 both times, a later hold of the seat is untouched", async () => {
    const eventId = await api.createEvent();
    const hold = await api.holdOk(eventId, "A-1", "alice");
    expectNoContent(await api.release(eventId, hold.holdId));
    const bobs = await api.holdOk(eventId, "A-1", "bob");
    expectNoContent(await api.release(eventId, hold.holdId));
    await api.expectSeatStatus(eventId, "A-1", "held");
    await api.confirmOk(eventId, bobs);
  });

  test("DELETE a confirmed hold: 409 seat_unavailable, the seat stays sold", async () => {
    const eventId = await api.createEvent();
    const hold = await api.holdOk(eventId, "A-1");
    const booking = await api.confirmOk(eventId, hold);
    expectError(await api.release(eventId, hold.holdId), "seat_unavailable");
    await api.expectSeatStatus(eventId, "A-1", "sold");
    await api.expectCounts(eventId, { available: 9, held: 0, sold: 1 });
    assert.deepEqual(await api.confirmOk(eventId, hold), booking);
  });

  test("DELETE hold: 404 not_found for an unknown hold, another event's hold, an unknown event", async () => {
    const eventId = await api.createEvent();
    const otherEvent = await api.createEvent();
    const hold = await api.holdOk(otherEvent, "A-1");
    expectError(await api.release(eventId, "never-issued"), "not_found", "holdId");
    expectError(await api.release(eventId, hold.holdId), "not_found", "holdId");
    expectError(await api.release(freshId("missing"), hold.holdId), "not_found", "eventId");
    await api.expectCounts(otherEvent, { available: 9, held: 1, sold: 0 });
  });
}
