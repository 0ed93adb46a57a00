// Parsing real k6 output: test/fixtures/k6 was recorded with k6 v0.48.0 (see its README). The NDJSON parse must
// agree with what the same k6 run computed itself in --summary-export.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import * as hdr from "hdr-histogram-js";
import { parseK6Ndjson } from "../harness/k6/parse.ts";
import { parseK6Summary } from "../harness/k6/summary.ts";
import { k6Acks, k6ResultToDriverResult } from "../harness/k6/to-driver-result.ts";

const dir = new URL("./fixtures/k6/", import.meta.url);
const points = new URL("points.ndjson.gz", dir).pathname;
const gzJson = (name: string) => JSON.parse(gunzipSync(readFileSync(new URL(name, dir))).toString("utf8"));
const exported = parseK6Summary(gzJson("summary-export.json.gz"));
const handled = parseK6Summary(gzJson("handle-summary.json.gz"));
const stat = (metric: string, s: string) => {
  const v = exported.metrics[metric]?.[s];
  assert.equal(typeof v, "number", `${metric} ${s} in summary-export`);
  return v as number;
};

/** HDR value at a 1-based rank (the histogram's percentile query, aimed at the middle of the rank). */
const atRank = (h: { totalCount: number; getValueAtPercentile(p: number): number }, rank: number) =>
  h.getValueAtPercentile(((rank - 0.5) / h.totalCount) * 100);

async function fixtureResult() {
  const run = await parseK6Ndjson(points, { scenario: "flash" });
  return { run, res: k6ResultToDriverResult(run, { phase: "measure", seed: 1, scheduleS: 4, endedBy: "schedule" }) };
}

describe("k6 NDJSON parser on a recorded k6 v0.48 run", () => {
  it("counts what k6 counted: requests, iterations, custom counters, statuses", async () => {
    const { run, res } = await fixtureResult();
    assert.equal(run.lines, 8708);
    assert.equal(run.badLines, 0);
    assert.equal(res.requests.total, stat("http_reqs", "count"));
    assert.equal(run.counters.http_reqs, stat("http_reqs", "count"));
    assert.equal(run.counters.iterations, stat("iterations", "count"));
    assert.equal(run.counters.holds_ok, stat("holds_ok", "count"));
    assert.equal(run.counters.holds_conflict, stat("holds_conflict", "count"));
    assert.equal(run.counters.data_sent, stat("data_sent", "count"));
    assert.deepEqual(res.requests.byStatus, { "200": 310, "201": 207, "409": 103 });
    assert.deepEqual(run.byName, {
      "GET /events/:id": { "200": 310 },
      "POST /events/:id/holds": { "201": 207, "409": 103 },
    });
    // 409 is an expected answer in a flash sale: no errors (k6's http_req_failed agrees: 0 passes).
    assert.equal(res.errors.count, 0);
    assert.equal(stat("http_req_failed", "passes"), 0);
    assert.equal(
      res.seconds.reduce((n, s) => n + s.requests, 0),
      res.requests.total,
    );
    assert.ok(res.seconds.length >= 4 && res.seconds.length <= 5, `4 s of load, got ${res.seconds.length} seconds`);
    assert.deepEqual(
      res.series.requestsPerS,
      res.seconds.map((s) => s.requests),
    );
    assert.equal(run.metrics.http_req_duration?.type, "trend");
    assert.equal(res.health.peakInFlight, 0, "k6 reported 00/20 VUs active at each second");
  });

  it("percentiles agree with k6's own within HDR precision (k6 interpolates between neighbouring samples)", async () => {
    const { res } = await fixtureResult();
    assert.equal(res.histograms.unit, "us");
    const h = hdr.decodeFromCompressedBase64(res.histograms.all);
    const n = h.totalCount;
    assert.equal(n, 620);
    const tol = (v: number) => v * 1e-3 + 1; // 3 significant digits, 1 µs unit
    for (const [name, q] of [
      ["med", 0.5],
      ["p(90)", 0.9],
      ["p(99)", 0.99],
    ] as const) {
      const k6 = stat("http_req_duration", name) * 1000; // µs
      // k6: sorted[floor(i)] + (sorted[ceil(i)] - sorted[floor(i)]) * frac, i = q * (n - 1) (0-based)
      const i = q * (n - 1);
      const lo = atRank(h, Math.floor(i) + 1);
      const hi = atRank(h, Math.ceil(i) + 1);
      assert.ok(k6 >= lo - tol(lo) && k6 <= hi + tol(hi), `${name}: k6 ${k6} µs outside HDR [${lo}, ${hi}]`);
    }
    const max = stat("http_req_duration", "max");
    const min = stat("http_req_duration", "min") * 1000;
    assert.ok(Math.abs(res.latency.max - max) <= tol(max * 1000) / 1000, `max ${res.latency.max} vs ${max}`);
    assert.ok(Math.abs(h.minNonZeroValue - min) <= tol(min), `min ${h.minNonZeroValue} vs ${min}`);
    const avg = stat("http_req_duration", "avg");
    assert.ok(Math.abs(res.latency.mean - avg) <= tol(avg * 1000) / 1000, `mean ${res.latency.mean} vs ${avg}`);
    assert.deepEqual(res.latency, res.serviceTime);
  });

  it("reads k6's threshold verdicts from both summary formats the same way", () => {
    const pick = (s: typeof exported) => s.thresholds.map((t) => `${t.metric} ${t.expr} ${t.ok}`).sort();
    assert.deepEqual(pick(exported), ["holds_conflict count<1000 true", "http_req_duration p(99)<250 true"]);
    assert.deepEqual(pick(handled), pick(exported));
    assert.equal(handled.metrics.http_reqs?.count, 620);
  });

  it("streams plain or gzip input in arbitrary chunks and survives a truncated last line", async () => {
    const text = gunzipSync(readFileSync(points)).toString("utf8");
    async function* chunks() {
      for (let i = 0; i < text.length; i += 997) yield Buffer.from(text.slice(i, i + 997));
      yield Buffer.from('{"metric":"http_reqs","type":"Point","data":{"time":"2026-11-23T11:29:0');
    }
    const run = await parseK6Ndjson(chunks(), { scenario: "flash" });
    assert.equal(run.requests.time.length, 620);
    assert.equal(run.badLines, 1);
    const none = await parseK6Ndjson(points); // default: the "measured" scenario, absent from this recording
    assert.equal(none.requests.time.length, 0);
  });

  it("reads acknowledgements from ack samples with metadata (k6 >= 0.45 writes `metadata` on points)", async () => {
    const t0 = Date.parse("2026-11-23T11:29:00.000Z");
    const line = (metric: string, ms: number, value: number, tags: object, metadata?: object) =>
      JSON.stringify({
        metric,
        type: "Point",
        data: { time: new Date(t0 + ms).toISOString(), value, tags: { scenario: "measured", ...tags }, metadata },
      });
    const lines = [
      '{"type":"Metric","data":{"name":"window_start","type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"window_start"}',
      '{"type":"Metric","data":{"name":"ack","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"ack"}',
      line("ack", 1500, 1, { op: "hold", type: "ok", status: "201" }, { seat: "A-1", user: "u1", hold: "h1" }),
      line(
        "ack",
        1700,
        1,
        { op: "confirm", type: "ok", status: "200" },
        { seat: "A-1", user: "u1", hold: "h1", booking: "b1" },
      ),
      line("ack", 1800, 1, { op: "confirm", type: "info", status: "503" }, { seat: "A-2", user: "u2", hold: "h2" }),
      line("window_start", 1000, t0 + 1000, {}),
      line("ack", 900, 1, { op: "hold", type: "ok", status: "201" }, { seat: "W-1", user: "w1", hold: "h0" }),
    ];
    lines[lines.length - 1] = lines[lines.length - 1]?.replace('"measured"', '"warmup"') ?? "";
    const run = await parseK6Ndjson(lines.map((l) => `${l}\n`));
    assert.equal(run.windowStartMs, t0 + 1000);
    assert.deepEqual(k6Acks(run), [
      { op: "hold", type: "ok", seatId: "A-1", userId: "u1", holdId: "h1", status: 201, t: 500 },
      { op: "confirm", type: "ok", seatId: "A-1", userId: "u1", holdId: "h1", bookingId: "b1", status: 200, t: 700 },
      { op: "confirm", type: "info", seatId: "A-2", userId: "u2", holdId: "h2", status: 503, t: 800 },
    ]);
    assert.equal(run.counters.ack, 3);
  });
});
