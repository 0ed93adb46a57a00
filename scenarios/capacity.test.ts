import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BENCH_SCENARIOS,
  capacity,
  DEFAULT_SLO,
  loadScenario,
  PROFILES,
  peakRate,
  scheduledArrivals,
  scheduleSeconds,
  stepScenario,
  stepsOf,
  validateScenario,
  withOverrides,
} from "./index.ts";
import { k6Options } from "./k6/options.js";

describe("the capacity scenario (a breakpoint search)", () => {
  it("is a staircase of +25% steps from a low start, in the default bench, within its time budget", () => {
    assert.ok((BENCH_SCENARIOS as readonly string[]).includes("capacity"));
    for (const profile of PROFILES) {
      const s = loadScenario("capacity", profile);
      const steps = stepsOf(s);
      assert.ok(steps.length >= 8, `${profile}: ${steps.length} steps`);
      assert.equal(steps[0]?.rate, s.arrival.startRate);
      for (let k = 1; k < steps.length; k++) {
        const ratio = (steps[k]?.rate ?? 0) / (steps[k - 1]?.rate ?? 1);
        assert.ok(Math.abs(ratio - 1.25) < 0.02, `${profile} step ${k}: x${ratio}`);
        assert.equal(steps[k]?.fromRate, steps[k - 1]?.rate);
      }
      assert.deepEqual(s.search?.slo, DEFAULT_SLO);
      // The whole staircase books fewer seats than the event has: only the rate changes.
      assert.ok(scheduledArrivals(s.arrival.startRate, s.arrival.stages) * s.journey.confirmRatio < capacity(s));
    }
    const d = loadScenario("capacity");
    assert.ok(scheduleSeconds(d) <= 65, `default search at most ${scheduleSeconds(d)} s`);
    assert.ok(peakRate(d.arrival) >= 1500, "the top step is past what 2 cores serve");
    assert.ok(scheduleSeconds(loadScenario("capacity", "quick")) <= 30);
  });

  it("runs one step as the ramp from the previous rate and a hold", () => {
    const s = loadScenario("capacity", "ci");
    const [, second] = stepsOf(s);
    assert.ok(second);
    const one = stepScenario(s, second);
    assert.equal(one.arrival.startRate, s.arrival.startRate);
    assert.deepEqual(
      one.arrival.stages.map((st) => st.target),
      [second.rate, second.rate],
    );
    assert.equal(scheduleSeconds(one), second.rampS + second.holdS);
    assert.ok(validateScenario(one).ok);
  });

  it("k6 runs the same staircase, as written", () => {
    const s = loadScenario("capacity", "quick");
    const measured = k6Options(s, undefined, "measure").scenarios.measured;
    assert.ok(measured);
    assert.equal(measured.stages.length, s.arrival.stages.length);
    assert.deepEqual(measured.stages.slice(0, 2), [
      { duration: "500ms", target: 100 },
      { duration: "1s", target: 100 },
    ]);
  });

  it("keeps its staircase under --rate and --duration, and rejects one that is not", () => {
    const s = withOverrides(loadScenario("capacity"), { rate: 800, durationS: 28 });
    assert.equal(peakRate(s.arrival), 800);
    assert.ok(Math.abs(scheduleSeconds(s) - 28) < 1e-9, `${scheduleSeconds(s)} s`);
    const bad = structuredClone(loadScenario("capacity", "ci"));
    bad.arrival.stages[1] = { durationS: 1, target: 999 };
    bad.faults = [{ atS: 1, action: "kill-node", node: 0 }];
    const r = validateScenario(bad);
    assert.equal(r.ok, false);
    const text = r.problems.join("\n");
    assert.match(text, /a hold must keep the ramp's target/);
    assert.match(text, /step rates must rise/);
    assert.match(text, /a capacity search changes only the rate/);
  });
});
