import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errorCode, readAnswer, scanAvailableSeats } from "./scan.ts";

describe("reading a journey's fields without JSON.parse", () => {
  it("lists available seat ids in order, compact or not, agreeing with JSON.parse", () => {
    const seats = [
      { seatId: "A-1", status: "available" },
      { seatId: "A-2", status: "held" },
      { status: "available", seatId: "B_x-10", price: 3 },
    ];
    const compact = JSON.stringify({ seats });
    assert.deepEqual(scanAvailableSeats(compact), ["A-1", "B_x-10"]);
    assert.deepEqual(scanAvailableSeats('{"seats":[]}'), []);
    // Spaces around colons: not the compact shape, so the reader falls back to JSON.parse.
    const spaced = JSON.stringify({ seats }, null, 1);
    assert.equal(scanAvailableSeats(spaced), null);
    assert.deepEqual(readAnswer("seat-list", 200, spaced).body.seats.length, 3);
  });

  it("reads hold, booking and summary fields; error codes of both error shapes", () => {
    assert.deepEqual(readAnswer("hold", 201, '{"holdId":"h-1.x~","seatId":"A-1"}').body, { holdId: "h-1.x~" });
    assert.deepEqual(readAnswer("confirm", 200, '{"bookingId":"b9","seatId":"A-1"}').body, { bookingId: "b9" });
    assert.deepEqual(readAnswer("event-summary", 200, '{"capacity":600,"available":0,"held":0,"sold":600}').body, {
      sold: 600,
      capacity: 600,
    });
    assert.equal(readAnswer("hold", 409, '{"error":{"code":"seat_unavailable"}}').body, null);
    assert.equal(errorCode('{"error":{"code":"seat_unavailable","message":"taken"}}'), "seat_unavailable");
    assert.equal(errorCode('{"error":"overloaded","retryAfterS":1}'), "overloaded");
    assert.equal(errorCode('{ "error": { "code": "x" } }'), "x");
    assert.equal(errorCode("<html>"), null);
  });
});
