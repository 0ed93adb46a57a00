import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FIXTURES } from "../../test/fixtures/index.ts";
import type { RunSummary } from "../results/types.ts";
import { exitCodeOf, runProblems, runVerdict } from "./run.ts";

const passing = (): RunSummary => JSON.parse(readFileSync(join(FIXTURES.small, "summary.json"), "utf8"));

describe("exit codes: overload is a finding, an untrustworthy run is 1, a broken --threshold is 99", () => {
  it("exits 0 for a trustworthy run whose app was overloaded and shed load", () => {
    const s = passing();
    const r = s.results[0];
    assert.ok(r);
    r.thresholds = [{ expr: "errors<1%", ok: false, actual: 0.2, setBy: "scenario" }];
    r.shed = { requests: 1200, rate: 0.2 };
    const v = runVerdict(s);
    assert.equal(exitCodeOf(v), 0, v.untrustworthy.join("; "));
    assert.ok(v.findings.some((f) => /shed 1200 requests \(20% of answers were 503 overloaded\)/.test(f)));
    assert.ok(v.findings.some((f) => /threshold errors<1% broken/.test(f)));
    assert.deepEqual(runProblems(s), []);
  });

  it("exits 99 for a broken threshold the user set (or one from before setBy), 1 when the run is untrustworthy", () => {
    const s = passing();
    const [a, b] = s.results;
    assert.ok(a && b);
    a.thresholds = [{ expr: "p99<10", ok: false, actual: 40, setBy: "user" }];
    assert.equal(exitCodeOf(runVerdict(s)), 99);
    a.thresholds = [{ expr: "p99<10", ok: false, actual: 40 }];
    assert.equal(exitCodeOf(runVerdict(s)), 99);
    b.driverHealth.keptSchedule = false;
    assert.equal(exitCodeOf(runVerdict(s)), 1, "untrustworthy wins over a threshold");
    b.driverHealth.keptSchedule = true;
    b.audit.valid = false;
    assert.equal(exitCodeOf(runVerdict(s)), 1);
    b.audit.valid = true;
    s.skipped.push({ scenario: "flash-sale", app: "stateful", reason: "failed verification: x" });
    assert.equal(exitCodeOf(runVerdict(s)), 1);
  });

  it("states a capacity search's result as a finding", () => {
    const s = passing();
    const r = s.results[0];
    assert.ok(r);
    r.capacity = {
      journeysPerS: 381,
      bookingsPerS: 250.5,
      slo: { p99Ms: 250, errorRate: 0.01, thresholds: ["p99<=250", "errors<=1%"] },
      endedBy: "slo",
      steps: [],
    };
    const v = runVerdict(s);
    assert.equal(exitCodeOf(v), 0);
    assert.ok(v.findings.some((f) => /capacity 381 journeys\/s, 250.5 bookings\/s at p99<=250, errors<=1%/.test(f)));
    // A search the driver ended after a step held is a lower bound (its judged steps kept their schedule).
    r.capacity.endedBy = "driver";
    const bound = runVerdict(s);
    assert.equal(exitCodeOf(bound), 0, bound.untrustworthy.join("; "));
    assert.ok(
      bound.findings.some((f) => /capacity 381 journeys\/s.*the driver fell behind: at least this much/.test(f)),
    );
  });
});
