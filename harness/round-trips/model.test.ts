import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { projectLatencyMs, roundTripModel } from "./model.ts";
import { sequentialRoundTrips } from "./wire-counter.ts";

describe("round-trip model", () => {
  it("totals the hops: LB + forward + Redis + PostgreSQL", () => {
    for (const c of [
      { app: "stateless", writeMode: "queue" },
      { app: "stateless", writeMode: "sync" },
      { app: "stateful", persistence: "sync" },
      { app: "stateful", persistence: "async", forwardedShare: 0.25 },
    ] as const) {
      for (const [endpoint, rt] of Object.entries(roundTripModel(c))) {
        assert.equal(rt.total, Math.round((rt.lb + rt.forward + rt.redis + rt.postgres) * 100) / 100, endpoint);
        assert.equal(rt.lb, 1);
      }
    }
  });

  it("stateless confirm waits for Redis twice in queue mode, Redis then PostgreSQL in sync mode", () => {
    assert.deepEqual(roundTripModel({ app: "stateless", writeMode: "queue" }).confirm, {
      lb: 1,
      forward: 0,
      redis: 2,
      postgres: 0,
      total: 3,
    });
    assert.deepEqual(roundTripModel({ app: "stateless", writeMode: "sync" }).confirm, {
      lb: 1,
      forward: 0,
      redis: 1,
      postgres: 1,
      total: 3,
    });
  });

  it("stateful reads touch no backend; a measured forwarded share adds to actor-addressed endpoints only", () => {
    const m = roundTripModel({ app: "stateful", persistence: "sync", forwardedShare: 0.1 });
    assert.deepEqual(m["event-summary"], { lb: 1, forward: 0, redis: 0, postgres: 0, total: 1 });
    assert.deepEqual(m.hold, { lb: 1, forward: 0.1, redis: 0, postgres: 1, total: 2.1 });
    assert.equal(roundTripModel({ app: "stateful", persistence: "async" }).confirm.postgres, 0);
  });

  it("projects a latency by adding total x RTT", () => {
    assert.equal(projectLatencyMs(2, { total: 3 }, 0.5), 3.5);
    assert.equal(projectLatencyMs(2, { total: 3 }, 0), 2);
  });

  it("counts overlapping turns once and separate ones apart", () => {
    assert.equal(sequentialRoundTrips([]), 0);
    const turns = [
      { startMs: 0, endMs: 2 },
      { startMs: 1, endMs: 3 },
      { startMs: 3.5, endMs: 4 },
      { startMs: 10, endMs: 11 },
    ];
    assert.equal(sequentialRoundTrips(turns), 3);
    assert.equal(sequentialRoundTrips([...turns].reverse()), 3);
  });
});
