import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AppRunSummary, RunSummary } from "../results/types.ts";
import { toBaseline } from "./baseline.ts";
import { compare } from "./compare.ts";
import { comparisonMarkdown } from "./markdown.ts";
import { mannWhitneyP } from "./stats.ts";

interface Knobs {
  statements?: number;
  lost?: number;
  bookingsPerS?: number;
  p99?: number;
}

function app(scenario: string, name: "stateless" | "stateful", k: Knobs): AppRunSummary {
  return {
    scenario,
    app: name,
    throughput: { requestsPerS: 1000, journeysPerS: 300, bookingsPerS: k.bookingsPerS ?? 250 },
    latency: { count: 1, mean: 5, p50: 4, p90: 8, p99: k.p99 ?? 20, p999: 40, max: 90 },
    db: {
      statements: 0,
      commits: 0,
      rowsWritten: 0,
      statementsPerBooking: k.statements ?? (name === "stateless" ? 3 : 0.05),
      commitsPerBooking: name === "stateless" ? 1 : 0.05,
      rowsWrittenPerBooking: 2,
    },
    redis: name === "stateless" ? { commands: 0, commandsPerBooking: 6 } : null,
    journal: name === "stateful" ? { eventsPerTransaction: 25 } : null,
    audit: {
      valid: (k.lost ?? 0) === 0,
      acknowledged: 100,
      lost: k.lost ?? 0,
      unexpected: 0,
      recovered: 0,
      indeterminate: 0,
      doubleSold: 0,
      soldApi: 100,
      soldDb: 100,
      examples: [],
      notes: [],
    },
  } as unknown as AppRunSummary;
}

function run(stateless: Knobs = {}, stateful: Knobs = {}): RunSummary {
  return {
    environment: {
      cpu: { model: "test", cores: 2 },
      versions: { node: "v20" },
      git: { commit: null, dirty: false },
    },
    results: [app("flash-sale", "stateless", stateless), app("flash-sale", "stateful", stateful)],
    warnings: [],
    skipped: [],
  } as unknown as RunSummary;
}

// Four repetitions with a little jitter, as a calm CI machine produces.
const jitter = [1, 1.03, 0.97, 1.01];
const reps = (f: (j: number) => RunSummary) => jitter.map(f);

describe("regression comparer", () => {
  const baseline = toBaseline(reps((j) => run({ bookingsPerS: 250 * j }, { bookingsPerS: 500 * j })));

  it("passes identical runs", () => {
    const c = compare(baseline, toBaseline(reps((j) => run({ bookingsPerS: 250 * j }, { bookingsPerS: 500 * j }))));
    assert.equal(c.passed, true, comparisonMarkdown(c));
  });

  it("fails on doubled statements per booking, naming the metric", () => {
    const c = compare(
      baseline,
      toBaseline(reps((j) => run({ statements: 6, bookingsPerS: 250 * j }, { bookingsPerS: 500 * j }))),
    );
    assert.equal(c.passed, false);
    const row = c.rows.find((r) => r.verdict === "regressed");
    assert.equal(row?.key, "flash-sale/stateless/db.statementsPerBooking");
    assert.match(comparisonMarkdown(c), /\*\*REGRESSED\*\*.*worse by 3\.000/);
  });

  it("fails on a single lost booking in any repetition", () => {
    const runs = reps((j) => run({ bookingsPerS: 250 * j }, { bookingsPerS: 500 * j }));
    runs[2] = run({}, { lost: 1 });
    const c = compare(baseline, toBaseline(runs));
    assert.equal(c.passed, false);
    assert.ok(c.rows.some((r) => r.key === "flash-sale/stateful/audit.lost" && r.verdict === "failed"));
  });

  it("fails on a significant timing-ratio regression, and not on noise", () => {
    const slower = compare(
      baseline,
      toBaseline(reps((j) => run({ bookingsPerS: 250 * j }, { bookingsPerS: 300 * j }))),
    );
    assert.equal(slower.passed, false);
    assert.match(comparisonMarkdown(slower), /bookingsPerS \(stateful\/stateless\).*REGRESSED/);
    // One noisy repetition moves the median a little: within tolerance, or not significant.
    const noisy = compare(baseline, toBaseline(reps((j) => run({ bookingsPerS: 250 }, { bookingsPerS: 500 * j * j }))));
    assert.equal(noisy.passed, true, comparisonMarkdown(noisy));
  });

  it("computes Mann-Whitney p-values that separate shifted samples only", () => {
    assert.ok(mannWhitneyP([1, 2, 3, 4], [10, 11, 12, 13]) < 0.05);
    assert.ok(mannWhitneyP([1, 2, 3, 4], [1.5, 2.5, 3.5, 4.5]) > 0.3);
  });
});

describe("regression against the baseline file on a busy machine", () => {
  it("leaves busy repetitions out of costs and timings; with none quiet a regression is inconclusive", async () => {
    const { compareSkippingBusy } = await import("./file-baseline.ts");
    const baseline = toBaseline(reps((j) => run({ bookingsPerS: 250 * j }, { bookingsPerS: 500 * j })));
    const busy = (r: RunSummary) => {
      for (const x of r.results)
        x.machine = { cores: 2, outsideCpuPercent: 45, stealPercent: 0, busy: true, busiest: [] };
      return r;
    };
    const allBusy = reps((j) => busy(run({ statements: 6, bookingsPerS: 250 * j }, { bookingsPerS: 300 * j })));
    const c = compareSkippingBusy(baseline, allBusy);
    assert.equal(c.passed, true, comparisonMarkdown(c));
    assert.equal(c.rows.find((r) => r.key === "flash-sale/stateless/db.statementsPerBooking")?.verdict, "inconclusive");
    const someQuiet = reps((j) => run({ statements: 6, bookingsPerS: 250 * j }, { bookingsPerS: 500 * j }));
    someQuiet[0] = busy(someQuiet[0] as RunSummary);
    const q = compareSkippingBusy(baseline, someQuiet);
    assert.equal(q.passed, false, "the quiet repetitions still show the cost regression");
    const lost = reps((j) => busy(run({ bookingsPerS: 250 * j }, { lost: 1, bookingsPerS: 500 * j })));
    assert.equal(compareSkippingBusy(baseline, lost).passed, false, "correctness counts busy repetitions too");
  });
});
