import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { AppRunSummary, RunSummary } from "../harness/results/types.ts";
import { FIXTURES } from "../test/fixtures/index.ts";
import { compareValues, METRICS, stackPeakRssMb, TIE_TOLERANCE, verdictRows } from "./verdict.ts";

const load = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;

/** The raw field each verdict row must show, read independently of verdict.ts. */
const RAW: Record<string, (r: AppRunSummary) => number | null> = {
  bookingsPerS: (r) => r.throughput.bookingsPerS,
  requestsPerS: (r) => r.throughput.requestsPerS,
  sellOutS: (r) => r.sellOutS,
  p50: (r) => r.latency.p50,
  p99: (r) => r.latency.p99,
  p999: (r) => r.latency.p999,
  errorRate: (r) => r.errors.rate,
  statementsPerBooking: (r) => r.db.statementsPerBooking,
  commitsPerBooking: (r) => r.db.commitsPerBooking,
  redisPerBooking: (r) => (r.redis ? r.redis.commandsPerBooking : 0),
  cpuPer1k: (r) => r.cpu.secondsPer1kBookings,
};
const LOWER_IS_BETTER = new Set(["sellOutS", "p50", "p99", "p999", "errorRate", "statementsPerBooking"]);
for (const k of ["commitsPerBooking", "redisPerBooking", "cpuPer1k", "peakRss"]) LOWER_IS_BETTER.add(k);

describe("compareValues", () => {
  test("marks the better side in the metric's direction and gives right ÷ left", () => {
    assert.deepEqual(compareValues(100, 200, "higher"), { ratio: 2, better: "right" });
    assert.deepEqual(compareValues(100, 200, "lower"), { ratio: 2, better: "left" });
    assert.deepEqual(compareValues(40, 10, "lower"), { ratio: 0.25, better: "right" });
    assert.deepEqual(compareValues(40, 10, "higher"), { ratio: 0.25, better: "left" });
  });

  test("differences within the tie tolerance get no mark", () => {
    const inside = 100 * (1 + TIE_TOLERANCE * 0.9);
    const outside = 100 / (1 - TIE_TOLERANCE * 1.1);
    assert.equal(compareValues(100, inside, "higher").better, "tie");
    assert.equal(compareValues(100, 100, "lower").better, "tie");
    assert.equal(compareValues(100, outside, "higher").better, "right");
    assert.equal(compareValues(0, 0, "lower").better, "tie");
  });

  test("null-safe: no ratio and no mark unless a null counts as worst", () => {
    assert.deepEqual(compareValues(null, 5, "lower"), { ratio: null, better: null });
    assert.deepEqual(compareValues(5, null, "higher"), { ratio: null, better: null });
    assert.deepEqual(compareValues(null, null, "lower", { nullIsWorst: true }), { ratio: null, better: null });
    assert.deepEqual(compareValues(null, 12, "lower", { nullIsWorst: true }), { ratio: null, better: "right" });
    assert.deepEqual(compareValues(12, null, "lower", { nullIsWorst: true }), { ratio: null, better: "left" });
  });

  test("a zero left side has no ratio (no division by zero) but still a better mark", () => {
    assert.deepEqual(compareValues(0, 3, "lower"), { ratio: null, better: "left" });
    assert.deepEqual(compareValues(0, 3, "higher"), { ratio: null, better: "right" });
    assert.deepEqual(compareValues(3, 0, "lower"), { ratio: 0, better: "right" });
  });
});

for (const [name, dir] of Object.entries(FIXTURES)) {
  describe(`verdict rows of fixture ${name}`, () => {
    const run = load(dir);
    const scenarios = [...new Set(run.results.map((r) => r.scenario))];

    test("every row shows the raw value, right ÷ left, and the better side by direction", () => {
      for (const scenario of scenarios) {
        const sl = run.results.find((r) => r.scenario === scenario && r.app === "stateless") ?? null;
        const sf = run.results.find((r) => r.scenario === scenario && r.app === "stateful") ?? null;
        if (!sl || !sf) continue;
        const rows = verdictRows(sl, sf);
        assert.deepEqual(
          rows.map((r) => r.metric.key),
          METRICS.map((m) => m.key),
        );
        for (const row of rows) {
          const raw = RAW[row.metric.key];
          const left: number | null = raw ? raw(sl) : row.metric.key === "peakRss" ? stackPeakRssMb(sl) : null;
          const right: number | null = raw ? raw(sf) : row.metric.key === "peakRss" ? stackPeakRssMb(sf) : null;
          if (!raw && row.metric.key !== "peakRss") continue;
          const where = `${scenario} ${row.metric.key}`;
          assert.equal(row.left.value, left, where);
          assert.equal(row.right.value, right, where);
          const expectedRatio: number | null = left !== null && right !== null && left !== 0 ? right / left : null;
          assert.equal(row.ratio, expectedRatio, where);
          assert.equal(row.metric.direction, LOWER_IS_BETTER.has(row.metric.key) ? "lower" : "higher", where);
          let better: string | null = null;
          if (left !== null && right !== null) {
            const scale = Math.max(Math.abs(left), Math.abs(right));
            if (scale === 0 || Math.abs(left - right) <= TIE_TOLERANCE * scale) better = "tie";
            else if (LOWER_IS_BETTER.has(row.metric.key)) better = right < left ? "right" : "left";
            else better = right > left ? "right" : "left";
          } else if (row.metric.key === "sellOutS" && (left === null) !== (right === null)) {
            better = left === null ? "right" : "left";
          }
          assert.equal(row.better, better, where);
        }
      }
    });

    test("the audit row says pass or FAIL with the lost count, and the passing side is better", () => {
      for (const r of run.results) {
        const other = run.results.find((x) => x.scenario === r.scenario && x.app !== r.app) ?? null;
        const rows = r.app === "stateless" ? verdictRows(r, other) : verdictRows(other, r);
        const side = r.app === "stateless" ? "left" : "right";
        const audit = rows.find((x) => x.metric.key === "audit");
        assert.ok(audit);
        if (r.audit.valid === true) assert.equal(audit[side].text, "pass");
        if (r.audit.valid === false) {
          assert.match(audit[side].text, new RegExp(`^FAIL: ${r.audit.lost} lost`));
          if (other?.audit.valid === true) assert.equal(audit.better, side === "left" ? "right" : "left");
        }
        assert.equal(audit.ratio, null, "no ratio for pass/fail rows");
      }
    });
  });
}

test("a missing side shows 'not run' and marks nothing", () => {
  const r = load(FIXTURES.small).results[0] as AppRunSummary;
  for (const row of verdictRows(r, null)) {
    assert.equal(row.right.text, "not run");
    assert.equal(row.better, null);
    assert.equal(row.ratio, null);
  }
});

test("an app without Redis costs zero Redis commands; unknown per-booking cost stays null", () => {
  const r = structuredClone(load(FIXTURES.small).results[0] as AppRunSummary);
  const redisRow = () => verdictRows(r, r).find((x) => x.metric.key === "redisPerBooking");
  r.redis = null;
  assert.equal(redisRow()?.left.value, 0);
  assert.equal(redisRow()?.left.text, "0 (no Redis)");
  r.redis = { commands: 0, commandsPerBooking: null };
  assert.equal(redisRow()?.left.value, null);
  assert.equal(redisRow()?.better, null);
});

test("stack memory sums the peak of every role except the load driver", () => {
  const r = structuredClone(load(FIXTURES.small).results[0] as AppRunSummary);
  r.memory.peakRssMbByRole = { node: 200, postgres: 150, driver: 999 };
  assert.equal(stackPeakRssMb(r), 350);
  r.memory.peakRssMbByRole = {};
  assert.equal(stackPeakRssMb(r), null);
});

test("a failed audit with nothing lost still says why (sold counts disagree)", () => {
  const r = structuredClone(load(FIXTURES.small).results[0] as AppRunSummary);
  r.audit = { ...r.audit, valid: false, lost: 0, doubleSold: 0, unexpected: 0, soldApi: 525, soldDb: 524 };
  const audit = verdictRows(r, null).find((x) => x.metric.key === "audit");
  assert.equal(audit?.left.text, "FAIL: sold API 525 ≠ DB 524");
});

test("the trust rows show the driver's CPU per request and its connection model; old summaries say not recorded", () => {
  const r = structuredClone(load(FIXTURES.small).results[0] as AppRunSummary);
  r.driver = {
    name: "embedded",
    cpuUsPerRequest: 37.5,
    connections: { model: "one keep-alive connection per in-flight request", max: 10_000 },
  };
  const row = (key: string) => verdictRows(r, null).find((x) => x.metric.key === key);
  assert.equal(row("driverCpu")?.left.text, "37.5 µs");
  assert.equal(row("driverCpu")?.metric.group, "trust");
  assert.match(
    row("driverConnections")?.left.text ?? "",
    /one keep-alive connection per in-flight request, at most 10,000/,
  );
  (r as { driver: unknown }).driver = "embedded";
  assert.equal(row("driverCpu")?.left.text, "not recorded");
  assert.equal(row("driverConnections")?.left.text, "not recorded");
});
