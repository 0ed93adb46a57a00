import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createBatcher } from "./batcher.ts";

describe("createBatcher", () => {
  it("rejects single items when flush returns per-item failures", async () => {
    const b = createBatcher<number>({
      maxBatch: 10,
      flush: async (items) => items.map((i) => (i % 2 === 0 ? new Error(`even ${i}`) : undefined)),
    });
    const results = await Promise.allSettled([1, 2, 3].map((i) => b.add(i)));
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "rejected", "fulfilled"],
    );
  });

  it("groups items added while a flush runs, respecting maxBatch, and settles each item with its batch", async () => {
    const batches: number[][] = [];
    const b = createBatcher<number>({
      maxBatch: 3,
      async flush(items) {
        batches.push(items);
        await new Promise((r) => setTimeout(r, 5));
        if (items.includes(4)) throw new Error("boom");
      },
    });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => b.add(i)));
    assert.deepEqual(batches, [
      [1, 2, 3],
      [4, 5],
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "fulfilled", "fulfilled", "rejected", "rejected"],
    );
    await b.idle();
    await b.add(6);
    assert.deepEqual(batches.at(-1), [6]);
  });
});
