import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scheduledArrivals } from "../../scenarios/arrival.ts";
import { loadScenario } from "../../scenarios/index.ts";
import { arrivalTimes, phasePlan } from "./schedule.ts";

describe("arrival schedule (ramping arrival rate)", () => {
  it("spaces a constant rate evenly and counts as the scenario does", () => {
    const t = [...arrivalTimes({ startRate: 100, stages: [{ durationS: 2, target: 100 }] })];
    assert.equal(t.length, 200);
    assert.equal(t.length, scheduledArrivals(100, [{ durationS: 2, target: 100 }]));
    assert.equal(t[0], 0);
    assert.ok(Math.abs((t[1] ?? 0) - 10) < 1e-9);
    assert.ok(Math.abs((t[199] ?? 0) - 1990) < 1e-6);
  });

  it("ramps linearly: a 0 -> r ramp puts a quarter of its arrivals in the first half", () => {
    const t = [...arrivalTimes({ startRate: 0, stages: [{ durationS: 4, target: 500 }] })];
    assert.equal(t.length, 1000);
    const firstHalf = t.filter((x) => x < 2000).length;
    assert.ok(Math.abs(firstHalf - 250) <= 1, `first half: ${firstHalf}`);
    for (let i = 1; i < t.length; i++) assert.ok((t[i] ?? 0) >= (t[i - 1] ?? 0), "non-decreasing");
  });

  it("chains stages, ramps down, skips empty stages", () => {
    const stages = [
      { durationS: 1, target: 200 },
      { durationS: 2, target: 200 },
      { durationS: 1, target: 0 },
      { durationS: 5, target: 0 },
    ];
    const t = [...arrivalTimes({ startRate: 0, stages })];
    assert.equal(t.length, scheduledArrivals(0, stages));
    assert.equal(t.length, 100 + 400 + 100);
    assert.ok((t.at(-1) ?? 0) < 4000);
  });

  it("plans warm-up and rate overrides", () => {
    const s = loadScenario("flash-sale", "ci");
    assert.deepEqual(phasePlan(s, "warmup").stages, [{ durationS: s.arrival.warmupS, target: s.arrival.warmupRate }]);
    const p = phasePlan(s, "measure", 60);
    assert.deepEqual(
      p.stages.map((x) => x.target),
      [60, 60],
    );
  });
});
