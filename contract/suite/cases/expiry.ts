import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { Booking, Hold } from "../../schemas.ts";
import { freshId } from "../api.ts";
import { describeReply } from "../client.ts";
import { EXPIRY_GRACE_MS, type SuiteContext } from "../context.ts";
import { expectError, expectNoContent, expectOk } from "../expect.ts";

const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()));

/** Unconfirmed holds expire after the event's holdTtlMs (short here); confirmed ones never do. */
export function expiryCases({ api, test, shortTtlMs }: SuiteContext): void {
  // Cases that need a second step before the TTL runs out get a TTL that a loaded machine still meets.
  const roomyTtlMs = Math.max(shortTtlMs * 5, 1_500);

  test("hold expiry: the seat becomes available again, a retry of the request does not hold it again", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: 3 }], shortTtlMs);
    const body = { seatId: "A-1", userId: "alice", requestId: freshId("r") };
    const sentAt = Date.now();
    const hold = expectOk(await api.hold(eventId, body), 201, Hold);
    const ttl = Date.parse(hold.expiresAt) - sentAt;
    assert.ok(ttl > shortTtlMs - 1_000 && ttl < shortTtlMs + 1_000, `expiresAt ${hold.expiresAt} is not now + TTL`);
    const freed = await api.waitFor(
      async () => (await api.summaryOk(eventId)).available === 3,
      shortTtlMs + EXPIRY_GRACE_MS + api.stalenessMs,
    );
    assert.ok(freed, `seat still not available ${EXPIRY_GRACE_MS} ms after expiresAt`);
    await api.expectCounts(eventId, { capacity: 3, available: 3, held: 0, sold: 0 });
    await api.expectSeatStatus(eventId, "A-1", "available");
    assert.deepEqual(expectOk(await api.hold(eventId, body), 201, Hold), hold);
    await api.expectCounts(eventId, { capacity: 3, available: 3, held: 0, sold: 0 });
  });

  test("hold expiry: POST confirm after expiresAt: 410 hold_expired, nothing sold", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: 3 }], shortTtlMs);
    const hold = await api.holdOk(eventId, "A-1");
    await sleepUntil(Date.parse(hold.expiresAt) + 50);
    expectError(await api.confirm(eventId, hold.holdId), "hold_expired");
    assert.equal((await api.summaryOk(eventId)).sold, 0);
    const freed = await api.waitFor(
      async () => (await api.summaryOk(eventId)).available === 3,
      EXPIRY_GRACE_MS + api.stalenessMs,
    );
    assert.ok(freed, "the refused hold's seat did not become available");
    await api.holdOk(eventId, "A-1", "bob");
  });

  test("hold expiry: a confirmed hold never expires", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: 2 }], roomyTtlMs);
    const hold = await api.holdOk(eventId, "A-1");
    const booking = await api.confirmOk(eventId, hold);
    await sleepUntil(Date.parse(hold.expiresAt) + 300);
    await api.expectCounts(eventId, { capacity: 2, available: 1, held: 0, sold: 1 });
    await api.expectSeatStatus(eventId, "A-1", "sold");
    assert.deepEqual(expectOk(await api.booking(eventId, booking.bookingId), 200, Booking), booking);
    assert.deepEqual(await api.confirmOk(eventId, hold), booking);
    expectError(await api.hold(eventId, { seatId: "A-1", userId: "bob", requestId: freshId("r") }), "seat_unavailable");
  });

  test("hold expiry: releasing or confirming an expired hold leaves the next user's hold alone", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: 1 }], roomyTtlMs);
    const alice = await api.holdOk(eventId, "A-1", "alice");
    await sleepUntil(Date.parse(alice.expiresAt) + 20);
    let bob: Hold | undefined;
    const taken = await api.waitFor(async () => {
      const reply = await api.hold(eventId, { seatId: "A-1", userId: "bob", requestId: freshId("r") });
      if (reply.status === 201) bob = expectOk(reply, 201, Hold);
      else expectError(reply, "seat_unavailable");
      return bob !== undefined;
    }, EXPIRY_GRACE_MS);
    assert.ok(taken && bob, "bob could not hold the seat after alice's hold expired");
    expectNoContent(await api.release(eventId, alice.holdId));
    expectError(await api.confirm(eventId, alice.holdId), "hold_expired");
    const reply = await api.confirm(eventId, bob.holdId);
    if (reply.status === 410 && Date.now() >= Date.parse(bob.expiresAt)) {
      assert.fail(`inconclusive: bob's hold expired before the check finished (${describeReply(reply)})`);
    }
    const booking = expectOk(reply, 200, Booking);
    assert.equal(booking.userId, "bob");
    await api.expectCounts(eventId, { capacity: 1, available: 0, held: 0, sold: 1 });
  });
}
