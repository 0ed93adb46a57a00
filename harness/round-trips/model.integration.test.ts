// The round-trip model (model.ts) against the real apps, counted on the wire (probe.ts): one node behind
// counting proxies in front of PostgreSQL and Redis, each endpoint called alone. A code change that adds or
// removes a backend call on an endpoint's path fails here until the model says so too.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type RoundTripConfig, roundTripModel } from "./model.ts";
import { probeRoundTrips } from "./probe.ts";

const CASES: Array<{ name: string; config: RoundTripConfig; env?: Record<string, string> }> = [
  { name: "stateless, queue mode", config: { app: "stateless", writeMode: "queue" } },
  { name: "stateless, sync mode", config: { app: "stateless", writeMode: "sync" } },
  { name: "stateful, clustered, sync persistence", config: { app: "stateful", persistence: "sync" } },
  { name: "stateful, async persistence", config: { app: "stateful", persistence: "async" } },
];

describe("round-trip model matches the apps on the wire", { concurrency: 1 }, () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const measured = await probeRoundTrips({
        app: c.config.app,
        writeMode: c.config.writeMode,
        persistence: c.config.persistence,
        env: c.env,
      });
      const model = roundTripModel(c.config);
      for (const [endpoint, m] of Object.entries(measured)) {
        const expected = model[endpoint as keyof typeof model];
        assert.deepEqual(
          { redis: m.redis, postgres: m.postgres },
          { redis: expected.redis, postgres: expected.postgres },
          `${c.name} ${endpoint}: measured ${JSON.stringify(m)}`,
        );
        // The apps make their calls one after another: together they cost their sum.
        assert.equal(m.backends, m.redis + m.postgres, `${c.name} ${endpoint}: ${JSON.stringify(m)}`);
      }
    });
  }
});
