import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startRecorder } from "./recorder.ts";
import { parseInfo } from "./redis.ts";
import type { Sampler } from "./types.ts";

function counting(name: string, step: number): Sampler {
  let n = 0;
  return {
    name,
    async sample() {
      n += step;
      return { counters: { [`${name}.count`]: n }, gauges: { [`${name}.gauge`]: 7 } };
    },
    async close() {},
  };
}

describe("sample recorder", () => {
  it("turns counters into non-negative rates, keeps gauges, and records a failing sampler", async () => {
    const broken: Sampler = {
      name: "broken",
      sample: () => Promise.reject(new Error("no route to sampler")),
      close: async () => {},
    };
    const rec = startRecorder({ samplers: [counting("a", 10), broken], intervalMs: 40, maxTicks: 5 });
    await new Promise((r) => setTimeout(r, 400));
    await rec.stop();
    assert.ok(rec.rows.length >= 2, `rows: ${rec.rows.length}`);
    for (const row of rec.rows) {
      assert.ok((row.rates["a.count"] ?? -1) > 0);
      assert.equal(row.gauges["a.gauge"], 7);
    }
    assert.equal(rec.failures.get("broken"), "no route to sampler");
    // maxTicks bounds the loop: 1 initial tick + at most 5 timer ticks.
    assert.ok((rec.totals()["a.count"] ?? 0) <= 60);
  });

  it("keeps an extra tick at a window edge out of the rates but in the totals", async () => {
    const rec = startRecorder({ samplers: [counting("b", 1)], intervalMs: 10_000 });
    await rec.tick();
    await rec.tick();
    assert.equal(rec.rows.length, 0);
    assert.equal(rec.totals()["b.count"], 3);
    await rec.stop();
  });

  it("parses Redis INFO numbers", () => {
    const info = parseInfo("# Stats\r\ntotal_commands_processed:42\r\nused_memory:1048576\r\nrole:master\r\n");
    assert.equal(info.total_commands_processed, 42);
    assert.equal(info.used_memory, 1048576);
    assert.equal(info.role, undefined);
  });
});
