import assert from "node:assert/strict";
import { test } from "node:test";
import { FIXTURES } from "../../test/fixtures/index.ts";
import { loadRun } from "../load.ts";
import { singleRunView } from "../view.ts";
import { faultWindowS, uniqueFaults } from "./fault-markers.ts";
import { renderPairingCharts } from "./index.ts";
import { percentileLabel, spectrumPoints } from "./spectrum.ts";
import { points } from "./timeline.ts";

test("the spectrum maps percentiles to 1/(1-p), drops 100%, and reads 0..100 or 0..1", () => {
  const pct = spectrumPoints([
    [0, 1],
    [90, 2],
    [99, 3],
    [99.9, 4],
    [100, 9],
  ]);
  assert.deepEqual(
    pct.map((p) => Math.round(p.x)),
    [1, 10, 100, 1000],
  );
  const frac = spectrumPoints([
    [0.9, 2],
    [0.99, 3],
  ]);
  assert.deepEqual(
    frac.map((p) => Math.round(p.x)),
    [10, 100],
  );
  assert.deepEqual([1, 10, 100, 1000, 10000].map(percentileLabel), ["0%", "90%", "99%", "99.9%", "99.99%"]);
});

test("fault windows come from the harness's detail text; duplicates across sides are drawn once", () => {
  assert.equal(faultWindowS({ atS: 5, action: "pause-node", detail: "SIGSTOP node-2 for 3 s" }), 3);
  assert.equal(faultWindowS({ atS: 5, action: "add-nodes", detail: "started node-3; ready after 1.4 s" }), 1.4);
  assert.equal(faultWindowS({ atS: 5, action: "kill-node", detail: "SIGKILL node-2 (pid 12)" }), null);
  const k = { atS: 15.2, action: "kill-node", detail: "a" };
  assert.equal(uniqueFaults([[k], [{ ...k, atS: 15.4, detail: "b" }]]).length, 1);
});

test("missing samples become gaps, not zeros", () => {
  const ts = { t: [1, 2, 3] } as Parameters<typeof points>[0];
  assert.deepEqual(points(ts, [5, null as unknown as number, 7]), [
    { x: 1, y: 5 },
    { x: 2, y: null },
    { x: 3, y: 7 },
  ]);
});

test("every chart of a fixture scenario renders to a PNG", () => {
  const view = singleRunView(loadRun(FIXTURES.small));
  const p = view.pairings[0];
  assert.ok(p);
  const charts = renderPairingCharts(p);
  assert.ok(charts.length >= 9);
  for (const c of charts) {
    const png = Buffer.from(c.dataUrl.replace(/^data:image\/png;base64,/, ""), "base64");
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], `${c.id} is a PNG`);
    // IHDR width/height: the canvas is PIXEL_RATIO times the CSS size.
    assert.ok(png.readUInt32BE(16) >= c.width && png.readUInt32BE(20) >= c.height, `${c.id} size`);
  }
});
