import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AppRunSummary } from "../results/types.ts";
import { evaluateThresholds, parseThresholds } from "./thresholds.ts";

const summary = {
  latency: { count: 10, mean: 20, p50: 10, p90: 30, p99: 120, p999: 400, max: 900 },
  errors: { count: 2, rate: 0.02, byCode: {} },
  throughput: { requestsPerS: 800, journeysPerS: 200, bookingsPerS: 150 },
  journeys: { scheduled: 10, started: 10, completed: 10, dropped: 0 },
} as unknown as AppRunSummary;

describe("thresholds", () => {
  it("parses k6-style expressions including p(99.9) and percentages", () => {
    const t = parseThresholds(["p99<250", "p(99.9)<=400", "errors<1%", "rps>500"]);
    assert.deepEqual(
      t.map((x) => [x.metric, x.op, x.value]),
      [
        ["p99", "<", 250],
        ["p99.9", "<=", 400],
        ["errors", "<", 0.01],
        ["rps", ">", 500],
      ],
    );
  });

  it("evaluates each threshold against a summary", () => {
    const r = evaluateThresholds(parseThresholds(["p99<250", "p(99.9)<=400", "errors<1%", "rps>500"]), summary);
    assert.deepEqual(
      r.map((x) => x.ok),
      [true, true, false, true],
    );
    assert.equal(r[2]?.actual, 0.02);
  });

  it("lists every invalid expression at once", () => {
    assert.throws(
      () => parseThresholds(["p99<", "latency<3", "p99<5%", "p90<100"]),
      (err: Error) => err.message.split("\n").length === 3 && /latency<3/.test(err.message),
    );
  });
});
