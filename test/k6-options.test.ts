// The k6 options scenarios/k6/options.js builds, checked against k6's documented options schema (fast, and for
// every scenario x profile; the schema is written from k6's docs and validation code: k6-options-schema.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import ts from "typescript";
import { loadScenario, PROFILES, scenarioNames, scheduledArrivals, withOverrides } from "../scenarios/index.ts";
import {
  EXPECTED_REQUEST_MS,
  k6Duration,
  k6Options,
  k6Threshold,
  MAX_JOURNEYS_IN_FLIGHT,
  MEASURED,
  requestsPerJourney,
  vuSizing,
  WARMUP,
} from "../scenarios/k6/options.js";
import type { Scenario } from "../scenarios/types.ts";
import {
  BUILTIN_METRICS,
  durationMs,
  K6OptionsSchema,
  type MetricType,
  thresholdProblems,
} from "./k6-options-schema.ts";

const script = readFileSync(new URL("../scenarios/k6/script.js", import.meta.url), "utf8");
// The script's custom metrics and their types, read from its source: thresholds may only name metrics that exist.
const CUSTOM: Record<string, MetricType> = {};
for (const m of script.matchAll(/new (Counter|Gauge|Rate|Trend)\("([A-Za-z0-9_]+)"/g))
  CUSTOM[m[2] as string] = (m[1] as string).toLowerCase() as MetricType;

function allScenarios(): Array<[string, Scenario]> {
  const out: Array<[string, Scenario]> = [];
  for (const name of scenarioNames())
    for (const profile of PROFILES) out.push([`${name}/${profile}`, loadScenario(name, profile)]);
  // CLI overrides give fractional rates and durations: k6 still needs integers per timeUnit.
  const flash = loadScenario("flash-sale", "quick");
  out.push(["flash-sale/quick --rate 2.5 --duration 7.5", withOverrides(flash, { rate: 2.5, durationS: 7.5 })]);
  out.push(["flash-sale/quick --rate 333", withOverrides(flash, { rate: 333 })]);
  return out;
}

function checkThresholds(options: ReturnType<typeof k6Options>): string[] {
  const problems: string[] = [];
  for (const [key, exprs] of Object.entries(options.thresholds)) {
    const metric = key.replace(/\{.*$/, "");
    const type = BUILTIN_METRICS[metric] ?? CUSTOM[metric];
    if (!type) {
      problems.push(`threshold on unknown metric ${metric}`);
      continue;
    }
    for (const e of exprs) problems.push(...thresholdProblems(e, type).map((p) => `${key}: ${p}`));
  }
  return problems;
}

/** Journeys k6 starts for a ramping-arrival-rate scenario: the area under its rate curve per timeUnit. */
function k6Arrivals(s: {
  startRate?: number;
  timeUnit?: string | number;
  stages: Array<{ duration: string | number; target: number }>;
}) {
  const unitS = durationMs(s.timeUnit ?? "1s") / 1000;
  let from = s.startRate ?? 0;
  let total = 0;
  for (const st of s.stages) {
    total += (((from + st.target) / 2) * durationMs(st.duration)) / 1000 / unitS;
    from = st.target;
  }
  return total;
}

describe("k6 options (validated against k6's documented schema; the real k6 runs them in k6-real.test.ts)", () => {
  it("the files k6 loads use only syntax and modules k6 v0.48 supports", () => {
    // k6 v0.48 runs goja (ES2015+ with ES modules, no top-level await, no dynamic import); journey-logic.js
    // keeps to no `?.` / `??` as well, and so do the k6 files. Only k6's own modules and relative files.
    for (const file of ["../scenarios/k6/script.js", "../scenarios/k6/options.js", "../scenarios/journey-logic.js"]) {
      const text = readFileSync(new URL(file, import.meta.url), "utf8");
      const src = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
      const problems: string[] = [];
      const visit = (n: ts.Node) => {
        if (n.kind === ts.SyntaxKind.QuestionDotToken) problems.push("?.");
        if (n.kind === ts.SyntaxKind.QuestionQuestionToken) problems.push("??");
        if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) problems.push("import()");
        if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier)) problems.push("await");
        if (ts.isImportDeclaration(n)) {
          const from = (n.moduleSpecifier as ts.StringLiteral).text;
          if (!/^(k6|k6\/(http|metrics|execution))$|^\.\.?\//.test(from)) problems.push(`import ${from}`);
        }
        ts.forEachChild(n, visit);
      };
      visit(src);
      assert.deepEqual(problems, [], file);
      assert.equal((src as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length, 0, `${file} parses`);
    }
  });

  it("the script declares the custom metrics the thresholds and the parser use", () => {
    for (const name of ["errors", "confirms_ok", "holds_ok", "holds_conflict", "ack", "window_start", "journeys"])
      assert.ok(CUSTOM[name], `script.js declares ${name}`);
  });

  for (const [label, scenario] of allScenarios()) {
    it(`${label}: valid ramping-arrival-rate options, same schedule, valid thresholds`, () => {
      const options = k6Options({ ...scenario, thresholds: [...scenario.thresholds, "p99<250", "p(99.9)<1s"] });
      const parsed = K6OptionsSchema.safeParse(options);
      assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues, null, 1));
      assert.deepEqual(checkThresholds(options), []);

      const measured = options.scenarios[MEASURED];
      assert.ok(measured, "a measured scenario");
      // k6 starts the same number of journeys the scenario schedules (within rounding of one journey).
      const expected = scheduledArrivals(scenario.arrival.startRate, scenario.arrival.stages);
      assert.ok(Math.abs(k6Arrivals(measured) - expected) <= 1, `${k6Arrivals(measured)} vs ${expected}`);
      const warm = options.scenarios[WARMUP];
      if (scenario.arrival.warmupS > 0 && scenario.arrival.warmupRate > 0) {
        assert.ok(warm, "a warm-up scenario");
        assert.equal(durationMs(measured.startTime), scenario.arrival.warmupS * 1000);
        assert.ok(Math.abs(k6Arrivals(warm) - scenario.arrival.warmupS * scenario.arrival.warmupRate) <= 1);
      } else {
        assert.equal(warm, undefined);
      }
      assert.ok(measured.maxVUs >= measured.preAllocatedVUs && measured.preAllocatedVUs >= 5);
    });
  }

  it("sizes VUs: maxVUs is the embedded driver's in-flight bound, preAllocatedVUs Little's law", () => {
    // One constant for both drivers: the embedded driver's default bound is the same import.
    const driver = readFileSync(new URL("../harness/driver/run.ts", import.meta.url), "utf8");
    assert.match(driver, /opts\.maxInFlight \?\? MAX_JOURNEYS_IN_FLIGHT/);
    const flash = loadScenario("flash-sale", "quick");
    const sizing = vuSizing(300, flash.journey);
    assert.equal(sizing.maxVUs, MAX_JOURNEYS_IN_FLIGHT);
    // 7 requests at most (2 reads, 4 holds, 1 confirm), each planned at EXPECTED_REQUEST_MS + 100 ms of think.
    assert.equal(requestsPerJourney(flash.journey), 7);
    assert.equal(sizing.expectedJourneyS, (7 * (EXPECTED_REQUEST_MS + 100)) / 1000);
    assert.equal(sizing.preAllocatedVUs, Math.ceil(300 * sizing.expectedJourneyS));
    // The harness passes its driver's bound; an explicit pre-allocation is capped by it.
    assert.deepEqual(vuSizing(300, flash.journey, { maxVUs: 100 }).preAllocatedVUs, 100);
    assert.deepEqual(vuSizing(1, flash.journey, { maxVUs: 100, preAllocatedVUs: 60 }).preAllocatedVUs, 60);
    assert.equal(vuSizing(0.1, flash.journey).preAllocatedVUs, 5, "never fewer than 5");
  });

  it("translates statebench thresholds to k6 metrics restricted to the measured window", () => {
    assert.deepEqual(k6Threshold("p99<250"), {
      metric: "http_req_duration{scenario:measured}",
      expression: "p(99)<250",
    });
    assert.deepEqual(k6Threshold("p999<1s").expression, "p(99.9)<1000");
    assert.deepEqual(k6Threshold("p99.9 <= 800").expression, "p(99.9)<=800");
    assert.deepEqual(k6Threshold("errors<1%"), { metric: "errors{scenario:measured}", expression: "rate<0.01" });
    assert.deepEqual(k6Threshold("dropped<=0"), {
      metric: "dropped_iterations{scenario:measured}",
      expression: "count<=0",
    });
    assert.throws(() => k6Threshold("p99<1%"), /latency/);
    assert.throws(() => k6Threshold("latency-ish"), /unsupported threshold/);
  });

  it("the schema rejects what k6 rejects (so a passing check means something)", () => {
    const good = k6Options(loadScenario("flash-sale", "ci"));
    const m = good.scenarios[MEASURED];
    const bad = (patch: Record<string, unknown>) =>
      K6OptionsSchema.safeParse({ ...good, scenarios: { [MEASURED]: { ...m, ...patch } } }).success;
    assert.equal(bad({ stages: [{ duration: "10s", target: 2.5 }] }), false, "fractional target");
    assert.equal(bad({ stages: [] }), false, "no stage");
    assert.equal(bad({ maxVUs: 1, preAllocatedVUs: 2 }), false, "maxVUs < preAllocatedVUs");
    assert.equal(bad({ timeUnit: "1 second" }), false, "bad duration");
    assert.equal(bad({ rate: 5 }), false, "unknown field");
    assert.deepEqual(thresholdProblems("count<5", "trend"), ['"count" is not an aggregation of a trend']);
    assert.deepEqual(thresholdProblems("p(101)<5", "trend"), ["percentile 101 outside 0..100"]);
    assert.equal(k6Duration(7.5), "7500ms");
    assert.equal(k6Duration(10), "10s");
  });
});
