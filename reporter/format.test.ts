import assert from "node:assert/strict";
import { test } from "node:test";
import { formatNumber, formatPercent, formatRatio, thresholdActual } from "./format.ts";

test("numbers keep a few significant digits and say — when absent", () => {
  assert.deepEqual([2558.4, 38.04, 4.123, 0.5891, 0, null].map(formatNumber), [
    "2,558",
    "38",
    "4.12",
    "0.589",
    "0",
    "—",
  ]);
  assert.deepEqual([0.0176, 0, 0.00024, null].map(formatPercent), ["1.76%", "0%", "0.024%", "—"]);
  assert.deepEqual([0.3, 12.34, null].map(formatRatio), ["0.30×", "12.3×", "—"]);
});

test("a percentage threshold's actual value is a share, shown as a percentage", () => {
  assert.equal(thresholdActual("errors<1%", 0.018), "1.80%");
  assert.equal(thresholdActual("p99<250", 101.2), "101");
});
