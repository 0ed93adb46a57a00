import assert from "node:assert/strict";
import { Booking } from "../../schemas.ts";
import { freshId } from "../api.ts";
import type { SuiteContext } from "../context.ts";
import { expectError, expectNoContent, expectOk, GENERATED_ID } from "../expect.ts";

/** `POST /events/{eventId}/holds/{holdId}/confirm` and `GET /events/{eventId}/bookings/{bookingId}`. */
export function bookingCases({ api, test }: SuiteContext): void {
  test("POST confirm: 200 booking, the seat is sold, GET booking returns it", async () => {
    const eventId = await api.createEvent();
    const hold = await api.holdOk(eventId, "A-7", "alice");
    const booking = await api.confirmOk(eventId, hold);
    assert.match(booking.bookingId, GENERATED_ID);
    assert.equal(booking.status, "confirmed");
    await api.expectSeatStatus(eventId, "A-7", "sold");
    await api.expectCounts(eventId, { available: 9, held: 0, sold: 1 });
    assert.deepEqual(expectOk(await api.booking(eventId, booking.bookingId), 200, Booking), booking);
  });

  test("POST confirm twice: the same booking, sold once", async () => {
    const eventId = await api.createEvent();
    const hold = await api.holdOk(eventId, "A-1");
    const first = await api.confirmOk(eventId, hold);
    assert.deepEqual(await api.confirmOk(eventId, hold), first);
    assert.deepEqual(await api.confirmOk(eventId, hold, { json: { requestId: freshId("c") } }), first);
    await api.expectCounts(eventId, { available: 9, held: 0, sold: 1 });
  });

  test("POST confirm with an optional body { requestId } or {}: 200", async () => {
    const eventId = await api.createEvent();
    await api.confirmOk(eventId, await api.holdOk(eventId, "A-1"), { json: { requestId: freshId("c") } });
    await api.confirmOk(eventId, await api.holdOk(eventId, "A-2"), { json: {} });
    await api.expectCounts(eventId, { available: 8, held: 0, sold: 2 });
  });

  test("POST confirm with a bad body: 400 naming the field, the hold stays confirmable", async () => {
    const eventId = await api.createEvent();
    const hold = await api.holdOk(eventId, "A-1");
    expectError(await api.confirm(eventId, hold.holdId, { json: { requestId: 5 } }), "invalid_request", "requestId");
    expectError(
      await api.confirm(eventId, hold.holdId, { json: { requestId: "a b" } }),
      "invalid_request",
      "requestId",
    );
    expectError(await api.confirm(eventId, hold.holdId, { json: { seatId: "A-1" } }), "invalid_request", "seatId");
    expectError(await api.confirm(eventId, hold.holdId, { raw: "{" }), "invalid_request", "body");
    await api.expectCounts(eventId, { available: 9, held: 1, sold: 0 });
    await api.confirmOk(eventId, hold);
  });

  test("POST confirm after release: 410 hold_expired, nothing sold", async () => {
    const eventId = await api.createEvent();
    const hold = await api.holdOk(eventId, "A-1");
    expectNoContent(await api.release(eventId, hold.holdId));
    expectError(await api.confirm(eventId, hold.holdId), "hold_expired");
    await api.expectCounts(eventId, { available: 10, held: 0, sold: 0 });
  });

  test("POST confirm: 404 not_found for an unknown hold, another event's hold, an unknown event", async () => {
    const eventId = await api.createEvent();
    const otherEvent = await api.createEvent();
    const hold = await api.holdOk(otherEvent, "A-1");
    for (const never of ["never-issued", "no~such.hold", "x".repeat(200)]) {
      expectError(await api.confirm(eventId, never), "not_found", "holdId");
    }
    expectError(await api.confirm(eventId, hold.holdId), "not_found", "holdId");
    expectError(await api.confirm(freshId("missing"), hold.holdId), "not_found", "eventId");
    await api.expectCounts(eventId, { available: 10, held: 0, sold: 0 });
    await api.expectCounts(otherEvent, { available: 9, held: 1, sold: 0 });
  });

  test("GET booking: 404 not_found for an unknown booking, another event's booking, an unknown event", async () => {
    const eventId = await api.createEvent();
    const otherEvent = await api.createEvent();
    const booking = await api.confirmOk(otherEvent, await api.holdOk(otherEvent, "A-1"));
    expectError(await api.booking(eventId, "never-issued"), "not_found", "bookingId");
    expectError(await api.booking(eventId, booking.bookingId), "not_found", "bookingId");
    expectError(await api.booking(freshId("missing"), booking.bookingId), "not_found", "eventId");
  });
}
