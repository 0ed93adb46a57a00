import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EventBoard, seatVersion } from "./board.ts";
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
    for (const query of [
      { limit: 10 },
      { status: "available" as const, limit: 2 },
      { section: "A", status: "held" as const, limit: 10 },
      { section: "Z", limit: 10 },
    ]) {
      assert.deepEqual(JSON.parse(board.listJson(query)), { seats: board.list(query) });
    }
    assert.deepEqual(board.heldSeats(), ["A-1"]);
    assert.equal(board.untouched("A-2"), false, "section A has events");
  });

  it("keeps the newest version of each seat, whatever the order the writes arrive in", async () => {
    const board = new EventBoard(layout);
    await board.replay(async (fn) => {
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
    // A peer's late, older delta changes nothing; a newer one wins; the same one twice counts once.
    assert.equal(board.merge(board.indexOf("B-3"), 0, 1), false);
    assert.equal(board.merge(board.indexOf("B-3"), 2, 4), true);
    assert.equal(board.merge(board.indexOf("B-3"), 2, 4), false);
    assert.deepEqual(board.summary(), { capacity: 5, available: 4, held: 0, sold: 1 });
  });

  it("a shard's new owner wins over its previous owner's later sequence numbers (epoch above seqNr)", () => {
    const board = new EventBoard(layout);
    const i = board.indexOf("A-2");
    // The old owner (epoch 3) acknowledged seq 9 in write-behind mode and died before its commit; the new owner
    // (epoch 4) recovered seq 8 from the journal and writes seq 9 again.
    board.merge(i, 1, seatVersion(3, 9));
    assert.equal(board.merge(i, 0, seatVersion(4, 8)), true);
    assert.equal(board.merge(i, 1, seatVersion(3, 10)), false);
    assert.equal(board.statusAt(i), 0);
  });

  it("an actor's later events win in a replay even when this node hands its shard off between two pages", async () => {
    const board = new EventBoard(layout);
    let epoch = 5;
    await board.replay(
      async (fn) => {
        fn("section|e/A", 1, held("A-1", "h1"));
        epoch = 0; // the shard moved to another node before the next page was read
        fn("section|e/A", 2, { t: "confirmed", seatId: "A-1", holdId: "h1", bookingId: "b1" });
        fn("section|e/B", 1, held("B-1", "h2"));
      },
      (_key, seqNr) => seatVersion(epoch, seqNr),
    );
    assert.deepEqual(board.summary(), { capacity: 5, available: 3, held: 1, sold: 1 });
    assert.equal(board.statusAt(board.indexOf("A-1")), 2);
  });

  it("reports only its own actors' changes", () => {
    const changed: number[] = [];
    const board = new EventBoard(layout, { onChange: (_b, index) => changed.push(index) });
    board.onVisible("section|e/A", 1, [held("A-2", "h")]);
    board.merge(board.indexOf("B-1"), 1, 5);
    assert.deepEqual(changed, [board.indexOf("A-2")]);
  });

  it("nothing is untouched while a replay for acquired shards runs", async () => {
    const board = new EventBoard({ ...layout, granularity: "seat" });
    assert.equal(board.untouched("A-1"), true);
    let during: boolean | undefined;
    await board.replay(async () => {
      during = board.untouched("A-1");
    });
    assert.equal(during, false);
    assert.equal(board.untouched("A-1"), true);
    board.merge(board.indexOf("A-1"), 1, 1);
    assert.equal(board.untouched("A-1"), false);
  });

  it("lists the available seats of a mostly sold event, in order, across sections", () => {
    const big: Layout = {
      eventId: "big",
      sections: Array.from({ length: 20 }, (_, k) => ({ id: `S${k}`, seats: 5_000 })),
      holdTtlMs: 1_000,
      granularity: "seat",
    };
    const board = new EventBoard(big);
    const free = new Set([4_999, 5_000, 61_234, 99_999]);
    for (let i = 0; i < board.capacity; i++) if (!free.has(i)) board.merge(i, 2, 1);
    assert.deepEqual(board.list({ status: "available", limit: 3 }), [
      { seatId: "S0-5000", status: "available" },
      { seatId: "S1-1", status: "available" },
      { seatId: "S12-1235", status: "available" },
    ]);
    assert.deepEqual(board.list({ status: "available", section: "S19", limit: 10 }), [
      { seatId: "S19-5000", status: "available" },
    ]);
    assert.deepEqual(board.list({ status: "available", section: "S5", limit: 10 }), []);
    assert.deepEqual(board.list({ section: "S3", limit: 2 }), [
      { seatId: "S3-1", status: "sold" },
      { seatId: "S3-2", status: "sold" },
    ]);
    assert.deepEqual(board.list({ section: "nope", limit: 2 }), []);
    assert.equal(board.summary().available, 4);
  });
});
