import assert from "node:assert/strict";
import { test } from "node:test";
import type { DriverResult } from "../driver/types.ts";
import { driverInfo } from "./summary.ts";

const result = (health: Partial<DriverResult["health"]>, total = 1000) =>
  ({ requests: { total, byEndpoint: {}, byStatus: {} }, health }) as unknown as DriverResult;

test("summary.json's driver: the embedded driver's own CPU per request and connection model", () => {
  const d = driverInfo(
    "embedded",
    result({ cpuUsPerRequest: 35.2, connections: { model: "one per in-flight request", max: 10_000, peak: 42 } }),
    9,
  );
  assert.deepEqual(d, {
    name: "embedded",
    cpuUsPerRequest: 35.2,
    connections: { model: "one per in-flight request", max: 10_000 },
  });
});

test("k6 (its own process): CPU per request from the sampled driver role; no bound stated", () => {
  const d = driverInfo("k6", result({}, 2000), 0.08);
  assert.equal(d.cpuUsPerRequest, 40);
  assert.deepEqual(d.connections, { model: "k6: one connection per VU", max: null });
  assert.equal(driverInfo("k6", result({}, 2000)).cpuUsPerRequest, null);
});
