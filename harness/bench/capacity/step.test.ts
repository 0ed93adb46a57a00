import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answerCounts } from "./step.ts";

describe("answer counts: shed load and failover 503s apart", () => {
  it("counts 503 overloaded (and 503s naming no code) as shed, 503 unavailable apart", () => {
    const byStatus = { "200": 700, "409": 100, "503": 200 };
    const c = answerCounts(byStatus, { overloaded: 150, unavailable: 30, http_503: 20 });
    assert.deepEqual(c, { total: 1000, good: 800, shed: 170, unavailable: 30 });
  });

  it("treats every 503 as shed when no error code was recorded (a k6 script without the code counter)", () => {
    assert.deepEqual(answerCounts({ "200": 5, "503": 5 }), { total: 10, good: 5, shed: 5, unavailable: 0 });
  });

  it("never counts more unavailable answers than 503s (a 500 unavailable is an error, not a 503)", () => {
    const c = answerCounts({ "500": 4, "503": 1 }, { unavailable: 5 });
    assert.equal(c.unavailable, 1);
    assert.equal(c.shed, 0);
  });
});
