import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BENCH_SCENARIOS,
  capacity,
  loadScenario,
  PROFILES,
  peakRate,
  ScenarioError,
  scenarioFromJson,
  scenarioNames,
  scenarioToJson,
  scheduledArrivals,
  scheduleSeconds,
  validateScenario,
  withOverrides,
} from "./index.ts";

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ScenarioError, String(err));
    return err.problems;
  }
  assert.fail("expected a ScenarioError");
}

describe("scenario registry", () => {
  it("has the six scenarios, each valid in every profile", () => {
    assert.deepEqual(scenarioNames().sort(), [
      "browse-heavy",
      "capacity",
      "flash-sale",
      "hot-seats",
      "node-kill",
      "scale-out",
    ]);
    for (const name of scenarioNames()) {
      for (const profile of PROFILES) {
        const s = loadScenario(name, profile);
        assert.equal(s.name, name);
        assert.ok(s.arrival.maxJourneys >= scheduledArrivals(s.arrival.startRate, s.arrival.stages));
      }
    }
  });

  it("sizes the profiles as promised", () => {
    const fs = loadScenario("flash-sale");
    assert.equal(capacity(fs), 30_000);
    assert.equal(fs.arrival.startRate, 0);
    assert.ok((fs.arrival.stages[0]?.durationS ?? 99) <= 5, "spikes to peak within seconds");
    // The sale can sell out inside its schedule: bookings/s at peak is at most peak * confirmRatio.
    const sellOutS = capacity(fs) / (peakRate(fs.arrival) * fs.journey.confirmRatio);
    assert.ok(sellOutS < scheduleSeconds(fs) - 3, `sell-out needs ${sellOutS} s`);
    // The capacity search is bounded by its staircase and usually stops well before its end (capacity.test.ts).
    for (const name of BENCH_SCENARIOS.filter((n) => n !== "capacity")) {
      const d = loadScenario(name, "default");
      assert.ok(scheduleSeconds(d) >= 55 && scheduleSeconds(d) <= 80, `${name} default: ${scheduleSeconds(d)} s`);
      assert.ok(scheduleSeconds(loadScenario(name, "quick")) <= 12, `${name} quick`);
      assert.ok(scheduleSeconds(loadScenario(name, "ci")) <= 10, `${name} ci`);
      assert.ok(peakRate(d.arrival) <= 1500, "within what the 2-core machine can drive");
    }
    const nk = loadScenario("node-kill");
    assert.deepEqual([nk.cluster.nodes, nk.faults[0]?.action], [3, "kill-node"]);
    const so = loadScenario("scale-out");
    assert.deepEqual([so.cluster.nodes, so.cluster.nodeCpu, so.faults[0]?.action], [2, 0.5, "add-nodes"]);
    assert.equal(loadScenario("hot-seats").journey.hotSeats, 50);
  });

  it("names unknown scenarios and profiles together", () => {
    const problems = problemsOf(() => loadScenario("flash", "fast"));
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? "", /unknown scenario "flash"; known: flash-sale/);
    assert.match(problems[1] ?? "", /unknown profile "fast"/);
  });
});

describe("validation lists every problem at once", () => {
  it("reports shape problems with their paths", () => {
    const bad = structuredClone(loadScenario("flash-sale", "ci")) as Record<string, unknown> & {
      arrival: { stages: Array<{ durationS: number }> };
      journey: Record<string, unknown>;
    };
    bad.arrival.stages[0] = { durationS: -1 };
    bad.journey.confirmRatio = 2;
    bad.extra = true;
    const r = validateScenario(bad);
    assert.equal(r.ok, false);
    const text = r.problems.join("\n");
    assert.match(text, /arrival\.stages\[0\]\.durationS/);
    assert.match(text, /arrival\.stages\[0\]\.target/);
    assert.match(text, /journey\.confirmRatio/);
    assert.match(text, /extra/);
    assert.ok(r.problems.length >= 4);
  });

  it("reports what the shape cannot say", () => {
    const s = structuredClone(loadScenario("node-kill", "ci"));
    s.event.sections = [
      { id: "A", seats: 150_000 },
      { id: "A", seats: 60_000 },
    ];
    s.event.holdTtlMs = 50;
    s.journey.hotSeats = 500_000;
    s.arrival.warmupRate = 0;
    s.tailS = 3;
    s.faults = [
      { atS: 1, action: "kill-node", node: 7 },
      { atS: 999, action: "add-nodes", count: 1 },
    ];
    const r = validateScenario(s);
    assert.equal(r.ok, false);
    const expected = [
      /210000 seats, the API allows at most 200000/,
      /duplicate section id "A"/,
      /holdTtlMs: 50 is outside/,
      /hotSeats: 500000 hot seats but the event has 210000/,
      /warmupRate: 0 with warmupS/,
      /tailS: 3 s of tail has no effect/,
      /faults\[0\] \(kill-node at 1 s\): node 7 does not exist \(3 nodes/,
      /faults\[1\] \(add-nodes at 999 s\): after the schedule ends/,
    ];
    for (const re of expected)
      assert.ok(
        r.problems.some((p) => re.test(p)),
        `missing ${re} in\n${r.problems.join("\n")}`,
      );
    assert.equal(r.problems.length, expected.length);
  });
});

describe("overrides, as the CLI flags", () => {
  it("rescales rate, duration (with fault times), seats, nodes and CPU", () => {
    const s = withOverrides(loadScenario("node-kill"), {
      rate: 100,
      durationS: 30,
      seats: 9_000,
      nodes: 4,
      nodeCpu: 1,
    });
    assert.equal(peakRate(s.arrival), 100);
    assert.equal(scheduleSeconds(s), 30);
    assert.equal(s.faults[0]?.atS, 10, "the kill stays one third in");
    assert.equal(capacity(s), 9_000);
    assert.equal(s.event.sections.length, 60);
    assert.deepEqual(s.cluster, { nodes: 4, nodeCpu: 1 });
    assert.equal(s.arrival.maxJourneys, Math.ceil(scheduledArrivals(0, s.arrival.stages) * 1.1) + 100);
    assert.equal(withOverrides(s, { nodeCpu: null }).cluster.nodeCpu, null);
  });

  it("lists every bad flag, then every problem of the result", () => {
    const flags = problemsOf(() => withOverrides(loadScenario("flash-sale"), { rate: -1, seats: 1.5, nodes: 0 }));
    assert.equal(flags.length, 3, flags.join("\n"));
    const result = problemsOf(() => withOverrides(loadScenario("node-kill"), { nodes: 1, seats: 300_000 }));
    assert.ok(result.some((p) => /node 1 does not exist/.test(p)));
    assert.ok(result.some((p) => /300000 seats/.test(p)));
  });
});

describe("scenario JSON for k6", () => {
  it("round-trips and rejects broken JSON with every problem", () => {
    const s = loadScenario("flash-sale", "quick");
    assert.deepEqual(scenarioFromJson(scenarioToJson(s)), s);
    assert.match(problemsOf(() => scenarioFromJson("{"))[0] ?? "", /not JSON/);
    const broken = { ...s, cluster: { nodes: 0, nodeCpu: -1 } };
    assert.equal(problemsOf(() => scenarioFromJson(JSON.stringify(broken))).length, 2);
  });
});
