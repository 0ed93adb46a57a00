import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadScenario, type Scenario, validateScenario } from "../../../scenarios/index.ts";
import { staircase } from "../../../scenarios/staircase.ts";
import { prepareEvent, runDriver } from "../../driver/index.ts";
import { startStubServer } from "../../driver/stub-server.ts";
import { judgeThresholds, parseThresholds } from "../thresholds.ts";
import { runCapacitySearch } from "./search.ts";
import { resolveSlo } from "./slo.ts";

/** Browse-only journeys without think time: exactly 2 requests each (the summary, then a section's seats). */
function browsingStaircase(startRate: number, steps: number): Scenario {
  const s = structuredClone(loadScenario("capacity", "ci"));
  s.journey = { ...s.journey, browseOnly: 1, thinkMs: 0 };
  s.arrival = staircase({ startRate, growth: 1.25, steps, stepS: 3, rampS: 0.5, warmupS: 0, warmupRate: 0 });
  const r = validateScenario(s);
  assert.ok(r.ok, r.problems.join("\n"));
  return r.scenario;
}

describe("capacity search against a stub with a known service rate", () => {
  it("finds the planted knee: the last step that held is below it, the first above it broke, then it stops", async () => {
    // 200 requests/s of service at 2 requests a journey: the knee is at 100 journeys/s, between the steps at 89
    // and 111. Past it the queue (and every later request's latency) grows by the excess each second, so the
    // 111 step ends ~250 ms behind and breaks a 100 ms p99. Low rates keep it clear of a busy machine's noise.
    const serviceRate = 200;
    const knee = serviceRate / 2;
    const srv = await startStubServer({ serviceRate });
    try {
      const scenario = browsingStaircase(36.5, 9); // 37, 46, 57, 71, 89, 111, 139, 174, 217
      await prepareEvent({ baseUrl: srv.url, eventId: "knee", scenario });
      const logs: string[] = [];
      const seconds: number[] = [];
      const res = await runCapacitySearch({
        scenario,
        slo: resolveSlo({ p99Ms: 100, errorRate: 0.01 }, []),
        drive: runDriver,
        base: {
          baseUrl: srv.url,
          eventId: "knee",
          seed: 7,
          pollSoldOut: false,
          // Lag counts in every latency anyway (from the intended send); here only the SLO may end the search.
          maxLagMs: 1_000,
          onSecond: (s) => seconds.push(s.t),
        },
        log: (m) => logs.push(m),
      });
      const c = res.capacity;
      if (process.env.SHOW_STEPS) console.log(logs.join("\n"));
      // The merged run keeps the driver's own CPU per request, over all its steps (summary.json's figure).
      const h = res.driver.health;
      assert.ok(typeof h.cpuUsPerRequest === "number" && h.cpuUsPerRequest > 0, `cpuUsPerRequest ${h.cpuUsPerRequest}`);
      const expected = (h.cpuS / res.driver.requests.total) * 1e6;
      assert.ok(Math.abs(h.cpuUsPerRequest - expected) <= 0.1 + expected * 0.01, `${h.cpuUsPerRequest} vs ${expected}`);
      const held = c.steps.filter((s) => s.held);
      const broke = c.steps.at(-1);
      assert.equal(c.endedBy, "slo", logs.join("\n"));
      assert.ok(broke && !broke.held && broke.offeredJourneysPerS > knee, logs.join("\n"));
      assert.ok(c.steps.length < 9, "stopped at the first step that broke");
      assert.ok(
        broke.broken.some((b) => b.startsWith("p99<=100")),
        broke.broken.join("; "),
      );
      // Every step below the knee holds on a quiet machine; allow one noisy step on a shared one.
      const last = held.at(-1);
      assert.ok(last, logs.join("\n"));
      assert.ok(last.offeredJourneysPerS <= knee && last.offeredJourneysPerS >= knee / 1.25 ** 2, logs.join("\n"));
      assert.equal(c.journeysPerS, last.offeredJourneysPerS);
      assert.ok(Math.abs(last.journeysPerS / last.offeredJourneysPerS - 1) < 0.1, `${last.journeysPerS} journeys/s`);
      assert.equal(c.bookingsPerS, 0, "browsers book nothing");
      // Goodput is what was served: past the knee it flattens at the service rate, whatever was offered.
      assert.ok(broke.goodputPerS <= serviceRate * 1.05, `goodput ${broke.goodputPerS}/s past the knee`);
      assert.deepEqual(c.slo, { p99Ms: 100, errorRate: 0.01, thresholds: ["p99<=100", "errors<=1%"] });
      // The merged window covers every step: counts add up, seconds run on one axis without overlaps.
      assert.equal(res.driver.requests.total, res.driver.latency.count);
      assert.equal(res.driver.journeys.started * 2, res.driver.requests.total);
      const t = res.driver.series.t;
      assert.ok(
        t.every((x, i) => i === 0 || x > (t[i - 1] ?? -1)),
        "strictly increasing seconds",
      );
      assert.ok(Math.max(...seconds) >= 3 * (c.steps.length - 1), "progress seconds are offset per step");
      assert.ok(res.driver.latency.max >= broke.p99Ms, "the whole window includes the step that broke");
    } finally {
      await srv.close();
    }
  });

  it("a driver that falls behind after a step held gives a lower bound, not an untrustworthy run", async () => {
    const srv = await startStubServer();
    try {
      const scenario = browsingStaircase(20, 5); // 20, 25, 31, 39, 49: far below the stub's limit
      await prepareEvent({ baseUrl: srv.url, eventId: "lag", scenario });
      const search = (lagAtStep: number) => {
        let step = 0;
        // The seam the search drives: the real driver, with a planted "fell behind" on one step.
        const drive: typeof runDriver = async (o) => {
          const r = await runDriver(o);
          step += 1;
          if (step !== lagAtStep) return r;
          return { ...r, health: { ...r.health, keptSchedule: false, problems: ["planted: p99 send lag 300 ms"] } };
        };
        return runCapacitySearch({
          scenario,
          slo: resolveSlo({ p99Ms: 250, errorRate: 0.01 }, []),
          drive,
          base: { baseUrl: srv.url, eventId: "lag", seed: 3, pollSoldOut: false },
          log: () => {},
        });
      };
      const bound = await search(3);
      assert.equal(bound.capacity.endedBy, "driver");
      assert.equal(bound.capacity.steps.length, 3, "stopped at the step the driver fell behind on");
      assert.equal(bound.capacity.journeysPerS, 25, "the last judged step's rate");
      assert.equal(bound.driver.health.keptSchedule, true, "every judged step kept its schedule");
      assert.ok(bound.driver.warnings.some((w) => /lower bound set by the load generator/.test(w)));
      assert.ok(bound.driver.warnings.some((w) => /planted: p99 send lag 300 ms/.test(w)));

      const none = await search(1);
      assert.equal(none.capacity.endedBy, "driver");
      assert.equal(none.capacity.journeysPerS, 0);
      assert.equal(none.driver.health.keptSchedule, false, "no step held: nothing was measured on schedule");
    } finally {
      await srv.close();
    }
  });

  it("lets --threshold replace the SLO's bounds and asks throughput thresholds of the capacity", () => {
    const slo = resolveSlo({ p99Ms: 250, errorRate: 0.01 }, parseThresholds(["p90<40", "bookings>100"]));
    assert.deepEqual(
      slo.perStep.map((t) => [t.expr, t.setBy]),
      [
        ["p90<40", "user"],
        ["errors<=1%", "scenario"],
      ],
    );
    assert.equal(slo.p99Ms, null, "no p99 bound once the user set p90 instead");
    assert.deepEqual(
      slo.onCapacity.map((t) => t.expr),
      ["bookings>100"],
    );
  });
});

describe("thresholds of a capacity run", () => {
  const subject = (p99: number, bookingsPerS: number) => ({
    latency: { count: 100, mean: p99 / 2, p50: p99 / 3, p90: p99 / 2, p99, p999: p99, max: p99 },
    errors: { count: 0, rate: 0, byCode: {} },
    throughput: { requestsPerS: 1000, journeysPerS: 250, bookingsPerS },
    journeys: { scheduled: 1, started: 1, completed: 1, dropped: 0 },
  });
  it("are judged on the last step that held: the SLO holds there, a throughput demand asks that much capacity", () => {
    const slo = resolveSlo({ p99Ms: 250, errorRate: 0.01 }, parseThresholds(["p99<200", "bookings>150"]));
    const whole = subject(900, 100); // the whole window, the step that broke included
    const r = judgeThresholds([], [], whole, { slo, capacityStep: subject(120, 120) });
    assert.deepEqual(
      r.map((t) => [t.expr, t.ok, t.setBy]),
      [
        ["p99<200", true, "user"],
        ["errors<=1%", true, "scenario"],
        ["bookings>150", false, "user"],
      ],
    );
  });
  it("break the user's SLO when not even the first step held (exit code 99)", () => {
    const slo = resolveSlo({ p99Ms: 250, errorRate: 0.01 }, parseThresholds(["p99<50"]));
    const r = judgeThresholds([], [], subject(900, 0), { slo, capacityStep: subject(80, 10) });
    assert.deepEqual(
      r.filter((t) => !t.ok).map((t) => [t.expr, t.setBy]),
      [["p99<50", "user"]],
    );
  });
});
