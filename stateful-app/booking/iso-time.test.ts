import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isoTime } from "./iso-time.ts";

describe("isoTime", () => {
  it("equals toISOString, whatever the order of the instants", () => {
    const instants = [0, 1, 9, 10, 99, 100, 999, 1_000, 1_700_000_000_123, 1_700_000_000_005, 1_700_000_001_050];
    for (let i = 0; i < 2_000; i++) instants.push(Math.floor(Math.random() * 4_102_444_800_000));
    for (const ms of [...instants, ...instants.reverse()]) assert.equal(isoTime(ms), new Date(ms).toISOString());
  });
  it("falls back to toISOString outside integer ms of years 1970-9999", () => {
    for (const ms of [-1, 1.5, 253_402_300_800_000]) assert.equal(isoTime(ms), new Date(ms).toISOString());
  });
});
