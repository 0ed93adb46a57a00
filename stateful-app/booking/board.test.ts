import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EventBoard } from "./board.ts";
import type { Layout } from "./layout.ts";
import type { SeatEvent } from "./seat-actor.ts";

const layout: Layout = {
  eventId: "e",
  sections: [
    { id: "B", seats: 3 },
    { id: "A", seats: 2 },
  ],
  holdTtlMs: 1_000,
  granularity: "section",
};
const held = (seatId: string, holdId: string): SeatEvent => ({
  t: "held",
  seatId,
  holdId,
  userId: "u",
  requestId: "r",
  expiresAt: 0,
});

describe("seat board", () => {
  it("counts and lists in layout order with filters", () => {
    const board = new EventBoard(layout);
    board.onVisible("section|e/B", 1, [
      held("B-2", "h1"),
      { t: "confirmed", seatId: "B-2", holdId: "h1", bookingId: "b" },
    ]);
    board.onVisible("section|e/A", 1, [held("A-1", "h2")]);
    assert.deepEqual(board.summary(), { capacity: 5, available: 3, held: 1, sold: 1 });
    assert.deepEqual(
      board.list({ limit: 10 }).map((s) => `${s.seatId}:${s.status}`),
      ["B-1:available", "B-2:sold", "B-3:available", "A-1:held", "A-2:available"],
    );
    assert.deepEqual(board.list({ status: "available", limit: 2 }), [
      { seatId: "B-1", status: "available" },
      { seatId: "B-3", status: "available" },
    ]);
    assert.deepEqual(board.list({ section: "A", status: "held", limit: 10 }), [{ seatId: "A-1", status: "held" }]);
    assert.deepEqual(board.heldSeats(), ["A-1"]);
    assert.equal(board.untouched("A-2"), false, "section A has events");
  });

  it("a replay merges with events that became visible during it, each applied once", async () => {
    const board = new EventBoard(layout);
    await board.load(async (fn) => {
      fn("section|e/B", 1, held("B-1", "h1"));
      // Committed while the replay runs: seq 2 is also in the replay, seq 3 is not.
      board.onVisible("section|e/B", 2, [
        { t: "released", seatId: "B-1", holdId: "h1", expired: true },
        held("B-3", "h3"),
      ]);
      fn("section|e/B", 2, { t: "released", seatId: "B-1", holdId: "h1", expired: true });
    });
    assert.deepEqual(board.summary(), { capacity: 5, available: 4, held: 1, sold: 0 });
    assert.deepEqual(board.heldSeats(), ["B-3"]);
  });
});
