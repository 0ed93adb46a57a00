import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SeatSet } from "./seat-set.ts";

describe("SeatSet", () => {
  it("finds the next member from any position, within a range", () => {
    const set = new SeatSet(5_000);
    for (const i of [0, 31, 32, 1_023, 1_024, 4_999]) set.add(i);
    const all: number[] = [];
    for (let i = set.next(0); i >= 0; i = set.next(i + 1)) all.push(i);
    assert.deepEqual(all, [0, 31, 32, 1_023, 1_024, 4_999]);
    assert.equal(set.next(33), 1_023);
    assert.equal(set.next(1_025), 4_999);
    assert.equal(set.next(1_025, 4_999), -1);
    assert.equal(set.next(5_000), -1);
    set.delete(1_023);
    set.delete(1_024);
    assert.equal(set.next(33), 4_999);
    assert.equal(set.has(31), true);
    assert.equal(set.has(1_024), false);
  });

  it("agrees with a plain array on random contents", () => {
    const size = 70_000;
    const set = new SeatSet(size);
    const plain = new Uint8Array(size);
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let k = 0; k < 20_000; k++) {
      const i = Math.floor(rand() * size);
      if (rand() < 0.7) {
        set.add(i);
        plain[i] = 1;
      } else {
        set.delete(i);
        plain[i] = 0;
      }
    }
    for (let k = 0; k < 2_000; k++) {
      const from = Math.floor(rand() * size);
      const end = Math.min(size, from + Math.floor(rand() * 5_000));
      let expected = -1;
      for (let i = from; i < end; i++) {
        if (plain[i] === 1) {
          expected = i;
          break;
        }
      }
      assert.equal(set.next(from, end), expected, `next(${from}, ${end})`);
    }
  });
});
