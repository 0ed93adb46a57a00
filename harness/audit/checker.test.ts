import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AckRecord } from "../results/types.ts";
import { checkBookings, composeValidity } from "./checker.ts";

const ok = (seatId: string, userId: string, bookingId: string): AckRecord => ({
  op: "confirm",
  type: "ok",
  seatId,
  userId,
  bookingId,
  status: 200,
  t: 1,
});
const info = (seatId: string, userId: string): AckRecord => ({
  op: "confirm",
  type: "info",
  seatId,
  userId,
  status: 0,
  t: 1,
});

describe("audit checker", () => {
  it("passes when every acknowledged booking is durable and counts agree", () => {
    const r = checkBookings({
      acks: [ok("A-1", "u1", "b1"), ok("A-2", "u2", "b2")],
      durable: [
        { bookingId: "b1", seatId: "A-1", userId: "u1" },
        { bookingId: "b2", seatId: "A-2", userId: "u2" },
      ],
      soldApi: 2,
    });
    assert.equal(r.valid, true);
    assert.equal(r.acknowledged, 2);
    assert.equal(r.lost, 0);
  });

  it("reports a lost acknowledged booking, and one stored with another user", () => {
    const r = checkBookings({
      acks: [ok("A-1", "u1", "b1"), ok("A-2", "u2", "b2")],
      durable: [{ bookingId: "b2", seatId: "A-2", userId: "someone-else" }],
      soldApi: 1,
    });
    assert.equal(r.valid, false);
    assert.equal(r.lost, 2);
    assert.match(r.notes[0] ?? "", /2 acknowledged booking\(s\) lost/);
  });

  it("finds double sales, unexpected bookings, recovered and indeterminate outcomes", () => {
    const r = checkBookings({
      acks: [ok("A-1", "u1", "b1"), info("A-2", "u2"), info("A-3", "u3")],
      durable: [
        { bookingId: "b1", seatId: "A-1", userId: "u1" },
        { bookingId: "bx", seatId: "A-1", userId: "u9" },
        { bookingId: "b2", seatId: "A-2", userId: "u2" },
      ],
      soldApi: 2,
    });
    assert.equal(r.valid, false);
    assert.equal(r.doubleSold, 1);
    assert.equal(r.unexpected, 1);
    assert.equal(r.recovered, 1);
    assert.equal(r.indeterminate, 1);
  });

  it("flags a sold-count mismatch between API and database, and unknown when the API is silent", () => {
    const durable = [{ bookingId: "b1", seatId: "A-1", userId: "u1" }];
    assert.equal(checkBookings({ acks: [ok("A-1", "u1", "b1")], durable, soldApi: 3 }).valid, false);
    assert.equal(checkBookings({ acks: [ok("A-1", "u1", "b1")], durable, soldApi: null }).valid, "unknown");
  });

  it("composes validity with false winning", () => {
    assert.equal(composeValidity([true, "unknown", false]), false);
    assert.equal(composeValidity([true, "unknown"]), "unknown");
    assert.equal(composeValidity([true, true]), true);
  });
});
