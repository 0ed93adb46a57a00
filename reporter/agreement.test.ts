import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { AppRunSummary, RunSummary } from "../harness/results/types.ts";
import { FIXTURES } from "../test/fixtures/index.ts";
import { compareDrivers, driverAgreements } from "./agreement.ts";
import { buildReportHtml } from "./html/page.ts";
import { buildSummaryMarkdown } from "./markdown.ts";
import { singleRunView } from "./view.ts";

const load = () => JSON.parse(readFileSync(join(FIXTURES.small, "summary.json"), "utf8")) as RunSummary;

/** The embedded result of flash-sale/stateless re-labelled as k6's, its journeys started and p50s scaled by `by`. */
function asK6(r: AppRunSummary, by: { rps: number; p50: number; dropped?: number }): AppRunSummary {
  const k: AppRunSummary = structuredClone(r);
  k.driver = { name: "k6", cpuUsPerRequest: null, connections: { model: "k6: one connection per VU", max: 10000 } };
  k.journeys.started = Math.round(r.journeys.started * by.rps);
  k.requests.total = Math.round(r.requests.total * by.rps);
  k.latency.p50 = r.latency.p50 * by.p50;
  for (const e of Object.values(k.requests.byEndpoint)) e.latency.p50 *= by.p50;
  k.journeys.dropped = by.dropped ?? 0;
  k.driverHealth.keptSchedule = (by.dropped ?? 0) === 0;
  k.k6 = {
    vus: { preAllocated: 100, max: 10000, peak: 80 },
    cpuUsPerRequest: 700,
    startupCpuS: 0.5,
    connectingMs: { p50: 0, p99: 900, max: 3100 },
    exitCode: 0,
    files: {
      points: "p",
      summary: "s",
      log: "l",
      dashboard: "flash-sale/stateless/k6-driver/k6-measure/dashboard.html",
    },
  };
  return k;
}

test("agreement: within 5% throughput and 20% p50 agrees; outside disagrees; a drop makes it not comparable", () => {
  const e = load().results[0] as AppRunSummary;
  assert.equal(compareDrivers(e, asK6(e, { rps: 1.04, p50: 1.15 })).verdict, "agree");
  assert.equal(compareDrivers(e, asK6(e, { rps: 1.06, p50: 1 })).verdict, "disagree");
  assert.equal(compareDrivers(e, asK6(e, { rps: 1, p50: 1.3 })).verdict, "disagree");
  const dropped = compareDrivers(e, asK6(e, { rps: 0.5, p50: 1, dropped: 40 }));
  assert.equal(dropped.verdict, "not comparable");
  assert.match(dropped.notes.join(" "), /k6 dropped 40 arrivals/);
  assert.match(dropped.notes.join(" "), /connects took p50 0\.0 ms, p99 900 ms.*listen queue overflowed/);
  assert.deepEqual(
    dropped.endpoints.map((p) => p.endpoint),
    Object.keys(e.requests.byEndpoint).sort(),
  );
  assert.equal(dropped.k6.cpuUsPerRequest, 700, "k6's own CPU record");
  assert.ok(dropped.embedded.cpuUsPerRequest !== null && dropped.embedded.cpuUsPerRequest > 0);
});

test("a --driver both run shows the section in Markdown and HTML, with the k6 dashboard linked; others do not", () => {
  const s = load();
  const e = s.results[0] as AppRunSummary;
  const plain = buildSummaryMarkdown(s);
  assert.doesNotMatch(plain, /Driver agreement/);
  s.agreement = [asK6(e, { rps: 0.98, p50: 0.9 })];
  assert.equal(driverAgreements(s).length, 1);
  const md = buildSummaryMarkdown(s);
  assert.match(md, /### Driver agreement/);
  assert.match(md, /#### flash-sale · stateless: AGREE/);
  assert.match(md, /actual send/);
  assert.match(md, /\| achieved journeys\/s \(started\) \| [\d,.]+ \| [\d,.]+ \| -2\.0% \|/);
  assert.match(md, /\[k6 web dashboard\]\(flash-sale\/stateless\/k6-driver\/k6-measure\/dashboard\.html\)/);
  const html = buildReportHtml(
    singleRunView({ dir: "", summary: s, environment: s.environment, series: new Map(), problems: [] }),
  );
  assert.match(html, /<section id="drivers">/);
  assert.match(html, /href="flash-sale\/stateless\/k6-driver\/k6-measure\/dashboard.html"/);
});

test("agreement judges p50 from the actual send for both drivers: the embedded driver's send lag is not a difference", () => {
  const e = structuredClone(load().results[0] as AppRunSummary);
  // The embedded driver's intended-send p50 carries 1 ms of its own wake-up lag over its actual-send p50.
  e.serviceTime = { ...e.latency, p50: e.latency.p50 };
  e.latency = { ...e.latency, p50: e.latency.p50 + 1 };
  const k = asK6(e, { rps: 1, p50: 1 });
  k.latency = { ...k.latency, p50: e.serviceTime.p50 };
  k.serviceTime = k.latency;
  const a = compareDrivers(e, k);
  assert.equal(a.p50Diff, 0);
  assert.equal(a.verdict, "agree");
  assert.equal(a.embedded.p50, e.latency.p50, "the intended-send p50 is still shown");
});
