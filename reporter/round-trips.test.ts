import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { roundTripModel } from "../harness/round-trips/model.ts";
import { FIXTURES } from "../test/fixtures/index.ts";
import { buildReportHtml } from "./html/index.ts";
import { loadRun } from "./load.ts";
import { buildViewMarkdown } from "./markdown.ts";
import { reportRttMs, roundTripRows } from "./round-trips.ts";
import { singleRunView } from "./view.ts";

/** The small fixture run with round-trip counts, as a bench run writes them now. */
function viewWithRoundTrips(rttMs?: number) {
  const run = loadRun(FIXTURES.small);
  for (const r of run.summary.results) {
    r.roundTrips = roundTripModel({ app: r.app, writeMode: "queue", persistence: "sync" });
  }
  if (rttMs !== undefined) run.environment.knobs.rttMs = rttMs;
  return singleRunView(run);
}

describe("report: network round trips (model)", () => {
  it("projects each endpoint's measured p50 and p99 by total round trips x RTT", () => {
    const view = viewWithRoundTrips();
    const stateless = view.pairings[0]?.left.result ?? null;
    assert.equal(stateless?.app, "stateless");
    const confirm = roundTripRows(stateless, 2).find((r) => r.endpoint === "confirm");
    const measured = stateless?.requests.byEndpoint.confirm?.latency;
    assert.ok(confirm && measured);
    assert.equal(confirm.rt.total, 3);
    assert.equal(confirm.projected?.p50, measured.p50 + 3 * 2);
    assert.equal(confirm.projected?.p99, measured.p99 + 3 * 2);
  });

  it("uses --rtt-ms of the report, else the run's, else 0.5 ms", () => {
    assert.equal(reportRttMs(viewWithRoundTrips()), 0.5);
    assert.equal(reportRttMs(viewWithRoundTrips(1.5)), 1.5);
    assert.equal(reportRttMs(viewWithRoundTrips(1.5), 3), 3);
  });

  it("the HTML and Markdown show the counts next to the measured figures, marked as a model", () => {
    const view = viewWithRoundTrips();
    const html = buildReportHtml(view, { rttMs: 0.75 });
    assert.match(html, /<section id="round-trips"><h2>Network round trips \(model\)<\/h2>/);
    assert.match(html, /MODEL, not a measurement/);
    assert.match(html, /model p99 at 0\.75 ms RTT/);
    assert.match(html, /href="#round-trips"/);
    const md = buildViewMarkdown(view, { rttMs: 0.75 });
    assert.match(md, /### Network round trips \(model\)\n\n> \[!NOTE\]\n> MODEL, not a measurement/);
    const statefulHold = md.split("\n").find((l) => /^\| stateful \| hold \| 1 \| 0 \| 0 \| 1 \| 2 \|/.test(l));
    assert.ok(statefulHold, md.slice(md.indexOf("Network round trips")));
  });

  it("says so when a run has no counts (summaries written before roundTrips)", () => {
    const view = singleRunView(loadRun(FIXTURES.small));
    assert.match(buildReportHtml(view), /No round-trip counts in this run/);
    assert.doesNotMatch(buildViewMarkdown(view), /Network round trips/);
  });
});
