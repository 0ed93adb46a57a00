import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { metricsSampler } from "./node-metrics.ts";

test("CPU and RSS come from each node's Prometheus /metrics; a node that stops answering keeps its last counter", async () => {
  let cpu = 1.5;
  let up = true;
  const server = createServer((req, res) => {
    if (!up || req.url !== "/metrics" || !/text\/plain/.test(req.headers.accept ?? "")) {
      res.writeHead(up ? 404 : 503).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(
      `# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total ${cpu}\nprocess_resident_memory_bytes ${64 * 1024 * 1024}\n`,
    );
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const s = metricsSampler(() => [{ label: "node-1", url }]);
    const a = await s.sample();
    assert.equal(a.counters["cpu.node-1"], 1.5);
    assert.equal(a.gauges["rss.node-1"], 64);
    assert.ok((a.times?.["cpu.node-1"] ?? 0) > 0);
    cpu = 2.25;
    assert.equal((await s.sample()).counters["cpu.node-1"], 2.25);
    up = false;
    const c = await s.sample();
    assert.equal(c.counters["cpu.node-1"], 2.25, "no answer: the counter stays");
    assert.equal(c.gauges["rss.node-1"], 0);
  } finally {
    server.close();
  }
});
