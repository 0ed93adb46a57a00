import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bookingId, GENERATED_ID, holdId, newToken, parseBookingId, parseHoldId } from "./ids.ts";

describe("hold and booking ids", () => {
  it("round-trip the seat and token, and match the contract's generated-id pattern", () => {
    const token = newToken("ev-1", "B-2-17");
    const hid = holdId("B-2-17", token);
    const bid = bookingId("B-2-17", token);
    assert.match(hid, GENERATED_ID);
    assert.match(bid, GENERATED_ID);
    assert.notEqual(hid, bid);
    assert.deepEqual(parseHoldId("ev-1", hid), { seatId: "B-2-17", sectionId: "B-2", n: 17, token });
    assert.deepEqual(parseBookingId("ev-1", bid), { seatId: "B-2-17", sectionId: "B-2", n: 17, token });
  });

  it("refuse ids of another event, the other kind, or never issued", () => {
    const token = newToken("ev-1", "A-1");
    assert.equal(parseHoldId("ev-2", holdId("A-1", token)), undefined);
    assert.equal(parseHoldId("ev-1", bookingId("A-1", token)), undefined);
    assert.equal(parseBookingId("ev-1", holdId("A-1", token)), undefined);
    assert.equal(parseHoldId("ev-1", holdId("A-2", token)), undefined, "the MAC covers the seat");
    for (const id of ["never-issued", "", "~", "A-1~", `A-1~${"x".repeat(16)}`, `~${token}`]) {
      assert.equal(parseHoldId("ev-1", id), undefined, id);
    }
  });

  it("tokens are fresh", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newToken("e", "A-1")));
    assert.equal(tokens.size, 1000);
  });
});
