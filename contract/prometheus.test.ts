import assert from "node:assert/strict";
import { test } from "node:test";
import { metricsResponse, parsePrometheusText, prometheusText, wantsPrometheus } from "./prometheus.ts";

test("the text format carries this process's CPU and RSS, and the figures flattened; it parses back", () => {
  const before = parsePrometheusText(prometheusText());
  let x = 0;
  for (let i = 0; i < 3e6; i++) x += Math.sqrt(i);
  assert.ok(x > 0);
  const text = prometheusText({ pendingWrites: 3, pool: { idleCount: 2, ok: true }, name: "n", list: [1] });
  const after = parsePrometheusText(text);
  assert.match(text, /# TYPE process_cpu_seconds_total counter/);
  assert.ok((after.get("process_cpu_seconds_total") ?? 0) > (before.get("process_cpu_seconds_total") ?? 0));
  const rss = after.get("process_resident_memory_bytes") ?? 0;
  assert.ok(Math.abs(rss - process.memoryUsage.rss()) < 64 * 1024 * 1024, `rss ${rss}`);
  assert.equal(after.get("statebench_pending_writes"), 3);
  assert.equal(after.get("statebench_pool_idle_count"), 2);
  assert.equal(after.get("statebench_pool_ok"), 1);
  assert.equal(after.has("statebench_name"), false);
  assert.equal(after.has("statebench_list"), false);
});

test("the parser takes labelled samples, skips comments and keeps the first sample of a name", () => {
  const m = parsePrometheusText('# HELP a x\na{x="1"} 2\na{x="2"} 5\nb 1e3 1700000000\nc NaN\n');
  assert.equal(m.get("a"), 2);
  assert.equal(m.get("b"), 1000);
  assert.equal(m.has("c"), false);
});

test("Accept picks the format: Prometheus' scrape header gets text, no header gets JSON", async () => {
  const scrape = "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";
  assert.equal(wantsPrometheus(scrape), true);
  assert.equal(wantsPrometheus("text/plain"), true);
  assert.equal(wantsPrometheus(undefined), false);
  assert.equal(wantsPrometheus("*/*"), false);
  const text = metricsResponse("text/plain", { a: 1 });
  assert.match(text.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  assert.match(await text.text(), /^statebench_a 1$/m);
  assert.deepEqual(await metricsResponse(null, { a: 1 }).json(), { a: 1 });
});
