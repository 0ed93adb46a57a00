import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AppRunSummary, RunSummary } from "../results/types.ts";
import type { AcceptedChange } from "./accepted.ts";
import { compareInterleaved, type Repetition } from "./interleaved-compare.ts";
import { comparisonMarkdown } from "./markdown.ts";

interface Knobs {
  statements?: number;
  lost?: number;
  p99?: number;
  /** Outside load of this repetition's windows, % of the machine. */
  outside?: number | null;
}

const BASE = "88cb7c463baffe7955c939b34f48c6a0829916b0";

function result(app: "stateless" | "stateful", k: Knobs, j: number): AppRunSummary {
  return {
    scenario: "flash-sale",
    app,
    // Either format of the driver field: the baseline commit wrote a string, later ones an object.
    driver: j > 1 ? { name: "embedded", cpuUsPerRequest: 30 } : "embedded",
    throughput: { requestsPerS: 1000, journeysPerS: 300, bookingsPerS: 250 * j },
    latency: { count: 1, mean: 5, p50: 4, p90: 8, p99: (k.p99 ?? 20) * j, p999: 40, max: 90 },
    db: {
      statements: 0,
      commits: 0,
      rowsWritten: 0,
      statementsPerBooking: k.statements ?? (app === "stateless" ? 3 : 0.05),
      commitsPerBooking: app === "stateless" ? 1 : 0.05,
      rowsWrittenPerBooking: 2,
    },
    redis: app === "stateless" ? { commands: 0, commandsPerBooking: 6 } : null,
    journal: app === "stateful" ? { eventsPerTransaction: 25 } : null,
    audit: { valid: (k.lost ?? 0) === 0, lost: k.lost ?? 0, doubleSold: 0, unexpected: 0, notes: [] },
  } as unknown as AppRunSummary;
}

function rep(k: Knobs, j: number, stateful: Knobs = {}): Repetition {
  const summary = {
    environment: { knobs: {} },
    results: [result("stateless", k, j), result("stateful", stateful, j)],
    warnings: [],
    skipped: [],
  } as unknown as RunSummary;
  const outside = k.outside === undefined ? 2 : k.outside;
  return { summary, outsidePercent: { "flash-sale/stateless": outside, "flash-sale/stateful": outside } };
}

// Five repetitions with a little jitter, as a calm machine produces.
const jitter = [1, 1.03, 0.97, 1.01, 0.99];
const reps = (k: Knobs = {}, stateful: Knobs = {}) => jitter.map((j) => rep(k, j, stateful));
const opts = (accepted: AcceptedChange[] = []) => ({ baselineCommit: BASE, accepted, scenariosDiffer: false });
const row = (c: ReturnType<typeof compareInterleaved>, key: string) => c.rows.find((r) => r.key === key);

describe("interleaved regression comparison", () => {
  it("passes identical commits", () => {
    const c = compareInterleaved(reps(), reps(), opts());
    assert.equal(c.passed, true, comparisonMarkdown(c));
    assert.ok(
      c.rows.every((r) => r.verdict === "ok"),
      comparisonMarkdown(c),
    );
  });

  it("fails on a cost regression measured on a quiet machine, naming the metric", () => {
    const c = compareInterleaved(reps(), reps({ statements: 6 }), opts());
    assert.equal(c.passed, false);
    assert.equal(row(c, "flash-sale/stateless/db.statementsPerBooking")?.verdict, "regressed");
  });

  it("fails on a significant timing regression of one app, not on one or two slow repetitions", () => {
    const slower = compareInterleaved(reps(), reps({}, { p99: 40 }), opts());
    assert.equal(slower.passed, false);
    assert.equal(row(slower, "flash-sale/stateful/latency.p99")?.verdict, "regressed");
    // Two slow repetitions out of five move the median little and widen the tolerance.
    const noisy = reps({}, {});
    noisy[2] = rep({}, 1, { p99: 60 });
    noisy[4] = rep({}, 1, { p99: 30 });
    const c = compareInterleaved(reps(), noisy, opts());
    assert.equal(c.passed, true, comparisonMarkdown(c));
  });

  it("never fails on what only a busy machine showed: inconclusive", () => {
    const busy = reps({ statements: 6, p99: 80, outside: 40 }, { p99: 80, outside: 40 });
    const c = compareInterleaved(reps(), busy, opts());
    assert.equal(c.passed, true, comparisonMarkdown(c));
    const cost = row(c, "flash-sale/stateless/db.statementsPerBooking");
    assert.equal(cost?.verdict, "inconclusive");
    assert.match(cost?.why ?? "", /busy .* in every candidate repetition/);
    assert.equal(row(c, "flash-sale/stateful/latency.p99")?.verdict, "inconclusive");
    assert.match(comparisonMarkdown(c), /passed \(\d+ inconclusive\)/);
  });

  it("leaves busy repetitions out and still gates on the quiet ones", () => {
    const cand = reps({ statements: 6 });
    cand[0] = rep({ statements: 3, outside: 50 }, 1);
    const c = compareInterleaved(reps(), cand, opts());
    const cost = row(c, "flash-sale/stateless/db.statementsPerBooking");
    assert.equal(cost?.verdict, "regressed");
    assert.deepEqual(cost?.n, [5, 4]);
  });

  it("gates correctness on every repetition, busy or not", () => {
    const cand = reps();
    cand[3] = rep({ lost: 1, outside: 60 }, 1);
    const c = compareInterleaved(reps(), cand, opts());
    assert.equal(c.passed, false);
    assert.equal(row(c, "flash-sale/stateless/audit.lost")?.verdict, "failed");
  });

  it("accepts an intended cost change reviewed for this baseline only, up to its bound", () => {
    const entry: AcceptedChange = {
      baseline: "88cb7c4",
      metric: "*/stateless/db.statementsPerBooking",
      worstAccepted: 6.5,
      why: "availability replication writes a version row",
      reviewed: "coordinator, landing of issue 14",
    };
    const ok = compareInterleaved(reps(), reps({ statements: 6 }), opts([entry]));
    assert.equal(ok.passed, true, comparisonMarkdown(ok));
    assert.equal(row(ok, "flash-sale/stateless/db.statementsPerBooking")?.verdict, "accepted");
    const beyond = compareInterleaved(reps(), reps({ statements: 8 }), opts([entry]));
    assert.equal(beyond.passed, false);
    assert.match(row(beyond, "flash-sale/stateless/db.statementsPerBooking")?.why ?? "", /beyond the accepted 6\.500/);
    const other = compareInterleaved(reps(), reps({ statements: 6 }), opts([{ ...entry, baseline: "abcdef1" }]));
    assert.equal(other.passed, false, "an entry for another baseline is stale and accepts nothing");
  });

  it("reports improvements as such, and inconclusive timings when the scenarios differ", () => {
    const better = compareInterleaved(reps({}, { p99: 40 }), reps(), opts());
    assert.equal(row(better, "flash-sale/stateful/latency.p99")?.verdict, "improved");
    const differ = compareInterleaved(reps(), reps({}, { p99: 40 }), { ...opts(), scenariosDiffer: true });
    assert.equal(differ.passed, true);
    assert.equal(row(differ, "flash-sale/stateful/latency.p99")?.verdict, "inconclusive");
  });
});
