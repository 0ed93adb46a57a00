import assert from "node:assert/strict";
import { test } from "node:test";
import type { CapacityResult, CapacityStep } from "../../harness/results/types.ts";
import { FIXTURES } from "../../test/fixtures/index.ts";
import { loadRun } from "../load.ts";
import { singleRunView } from "../view.ts";
import { buildReportHtml } from "./page.ts";

function step(rate: number, held: boolean, p99Ms: number, shedRate = 0): CapacityStep {
  return {
    offeredJourneysPerS: rate,
    journeysPerS: rate * 0.98,
    requestsPerS: rate * 4,
    goodputPerS: rate * 4 * (1 - shedRate),
    bookingsPerS: rate * 0.7,
    p50Ms: p99Ms / 5,
    p99Ms,
    errorRate: shedRate,
    shedRate,
    keptSchedule: true,
    held,
    broken: held ? [] : [`p99<=250 (actual ${p99Ms})`],
  };
}

function search(steps: CapacityStep[]): CapacityResult {
  const last = steps.filter((s) => s.held).at(-1);
  return {
    journeysPerS: last?.offeredJourneysPerS ?? 0,
    bookingsPerS: last?.bookingsPerS ?? 0,
    slo: { p99Ms: 250, errorRate: 0.01, thresholds: ["p99<=250", "errors<=1%"] },
    endedBy: "slo",
    steps,
  };
}

test("the capacity search heads the report: both apps' capacity, two overlaid charts, every step", () => {
  const run = loadRun(FIXTURES.small);
  const [sl, sf] = run.summary.results.filter((r) => r.scenario === run.summary.results[0]?.scenario);
  assert.ok(sl && sf);
  sl.capacity = search([step(100, true, 20), step(125, true, 30), step(156, false, 900)]);
  sf.capacity = search([step(100, true, 10), step(125, true, 12), step(156, true, 15), step(195, false, 400, 0.3)]);
  const html = buildReportHtml(singleRunView(run));
  const at = html.indexOf('<section id="capacity">');
  assert.ok(at > 0 && at < html.indexOf('<section id="verdict">'), "before the verdict");
  assert.ok(html.indexOf('id="alerts"') < at, "after the trust banner");
  const section = html.slice(at, html.indexOf("</section>", at));
  assert.deepEqual(
    [...section.matchAll(/data-capacity="journeys">([^<]+)</g)].map((m) => m[1]),
    ["125", "156"],
  );
  assert.match(section, /the next step broke the SLO: 195 journeys\/s, p99&lt;=250 \(actual 400\)/);
  assert.match(section, /<td class="num">30.0%<\/td>/, "the shed rate at the break");
  for (const id of ["capacity-goodput", "capacity-latency"])
    assert.match(section, new RegExp(`data-chart="${id}".*?src="data:image/png;base64,`, "s"));
  assert.equal((section.match(/<details>/g) ?? []).length, 2, "a step table per app");
  assert.match(html, /<a href="#capacity">Capacity<\/a>/);
});

test("a run without a capacity search has no capacity section", () => {
  const html = buildReportHtml(singleRunView(loadRun(FIXTURES.small)));
  assert.doesNotMatch(html, /id="capacity"/);
});
