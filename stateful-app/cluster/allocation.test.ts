import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allocate, shardOf } from "./allocation.ts";

describe("shardOf", () => {
  it("is stable and in range", () => {
    for (const key of ["e1/A", "e1/B", "x", "event-42/section-7"]) {
      const s = shardOf(key, 128);
      assert.ok(s >= 0 && s < 128);
      assert.equal(shardOf(key, 128), s);
    }
  });
  it("spreads keys over shards", () => {
    const used = new Set<number>();
    for (let i = 0; i < 2000; i++) used.add(shardOf(`e/${i}`, 128));
    assert.ok(used.size > 120, `only ${used.size} shards used`);
  });
});

describe("allocate", () => {
  it("gives every shard to a node, balanced within the load bound", () => {
    const table = allocate(128, ["node-1", "node-2", "node-3"]);
    assert.equal(table.length, 128);
    const counts = new Map<string, number>();
    for (const n of table) counts.set(n, (counts.get(n) ?? 0) + 1);
    assert.equal(counts.size, 3);
    for (const c of counts.values()) assert.ok(c <= Math.ceil((1.1 * 128) / 3), `count ${c}`);
  });
  it("does not depend on the order of the node list", () => {
    assert.deepEqual(allocate(64, ["b", "a", "c"]), allocate(64, ["c", "b", "a"]));
  });
  it("moves only a share of the shards when a node joins", () => {
    const before = allocate(128, ["node-1", "node-2", "node-3"]);
    const after = allocate(128, ["node-1", "node-2", "node-3", "node-4"]);
    const moved = before.filter((n, s) => after[s] !== n).length;
    const toNew = after.filter((n) => n === "node-4").length;
    assert.ok(toNew >= 25, `node-4 got ${toNew}`);
    assert.ok(moved < 64, `moved ${moved}`);
  });
  it("keeps the survivors' shards mostly in place when a node dies", () => {
    const before = allocate(128, ["node-1", "node-2", "node-3"]);
    const after = allocate(128, ["node-1", "node-3"]);
    const movedBetweenSurvivors = before.filter((n, s) => n !== "node-2" && after[s] !== n).length;
    assert.ok(movedBetweenSurvivors < 16, `moved ${movedBetweenSurvivors}`);
    assert.ok(!after.includes("node-2"));
  });
  it("returns an empty table without nodes", () => {
    assert.deepEqual(allocate(8, []), []);
  });
});

describe("shardOf matches HAProxy's crc32,mod", () => {
  it("is CRC-32 (IEEE) of the key's UTF-8 bytes, mod the shard count", () => {
    // Known CRC-32 values (the check value of "123456789" is 0xCBF43926), as HAProxy's `crc32` converter gives.
    assert.equal(shardOf("123456789", 2 ** 31), 0xcbf43926 % 2 ** 31);
    assert.equal(shardOf("seat|e1/A-12", 128), 697918751 % 128);
    // UTF-8 bytes, as HAProxy hashes them (not UTF-16 code units).
    assert.equal(shardOf("section|é/A", 2 ** 31), 2198669487 % 2 ** 31);
  });
});
