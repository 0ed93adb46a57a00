import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Pool } from "undici";
import { loadScenario } from "../../scenarios/index.ts";
import type { Scenario } from "../../scenarios/types.ts";
import { checkTarget, prepareEvent, runDriver } from "./index.ts";
import { startStubServer } from "./stub-server.ts";

/** A browse-only scenario at a constant rate: 2 requests per journey (summary, then a section). */
function browsing(rate: number, durationS: number): Scenario {
  const s = structuredClone(loadScenario("browse-heavy", "ci"));
  s.journey = { ...s.journey, browseOnly: 1, thinkMs: 0 };
  s.arrival = { ...s.arrival, startRate: rate, stages: [{ durationS, target: rate }], maxJourneys: 100_000 };
  return s;
}

/**
 * Arrivals per second from arrival times, robust to a few late stragglers on a loaded machine: the median over i
 * of the rate between arrival i and arrival i + n/2 (a Theil-Sen style estimate).
 */
function robustRate(timesMs: number[]): number {
  const t = [...timesMs].sort((a, b) => a - b);
  const k = Math.floor(t.length / 2);
  const rates = t.slice(0, t.length - k).map((x, i) => (k * 1000) / ((t[i + k] ?? x) - x));
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] ?? 0;
}

describe("open-model driver against a local stub server", () => {
  it("keeps the arrival rate within 2% of the schedule while the server is slow", async () => {
    // Every answer takes 200 ms: a closed loop would slow down, an open model must not.
    const srv = await startStubServer({ record: true, delayMs: 200 });
    try {
      const s = browsing(200, 6);
      await prepareEvent({ baseUrl: srv.url, eventId: "rate", scenario: s });
      const r = await runDriver({
        scenario: s,
        baseUrl: srv.url,
        eventId: "rate",
        phase: "measure",
        seed: 1,
        pollSoldOut: false,
      });
      // Driver side: every scheduled journey started (catching up, none dropped) within the schedule's span.
      assert.equal(r.journeys.scheduled, 1200);
      assert.equal(r.journeys.started, r.journeys.scheduled);
      assert.equal(r.journeys.dropped, 0);
      const driverRate = r.journeys.started / r.window.scheduleS;
      assert.ok(Math.abs(driverRate / 200 - 1) < 0.02, `driver-side rate ${driverRate.toFixed(1)}/s vs 200/s`);
      // Server side: when the journeys' first requests actually arrived.
      const firsts = srv.received.filter((x) => x.method === "GET" && x.path === "/events/rate").map((x) => x.at);
      assert.equal(firsts.length, 1200, "the server saw every journey");
      const rate = robustRate(firsts);
      assert.ok(Math.abs(rate / 200 - 1) < 0.02, `server-side arrival rate ${rate.toFixed(1)}/s vs 200/s`);
      assert.ok(r.latency.p50 >= 200, "the 200 ms answers are in the latencies");
      assert.equal(r.series.t.length, r.seconds.length);
      assert.ok(r.series.requestsPerS.reduce((a, b) => a + b, 0) === r.requests.total);
    } finally {
      await srv.close();
    }
  });

  it("shows a 1 s server stall in p99/max (a closed loop on the same server would not)", async () => {
    const srv = await startStubServer();
    try {
      const s = browsing(150, 5);
      await prepareEvent({ baseUrl: srv.url, eventId: "stall", scenario: s });
      let timer: NodeJS.Timeout | undefined;
      const r = await runDriver({
        scenario: s,
        baseUrl: srv.url,
        eventId: "stall",
        phase: "measure",
        pollSoldOut: false,
        onStart: () => {
          timer = setTimeout(() => srv.stall(1000), 2000);
        },
      });
      clearTimeout(timer);
      assert.ok(r.latency.max >= 950, `max ${r.latency.max} ms`);
      // ~150 journeys arrive during the stall, 10-20% of all requests (their later requests come after it), waiting
      // 0..1000 ms evenly: the top 1% of all waited 900-950 ms or more. 800 leaves room for timer jitter, and stays
      // far above what the closed loop below shows.
      assert.ok(r.latency.p99 >= 800, `open-model p99 ${r.latency.p99} ms`);
      const closed = await closedLoop(srv.url, "/events/stall", 2, 5000, () => srv.stall(1000));
      assert.ok(closed.max >= 900, "the closed loop saw the stall too, on one request per connection");
      assert.ok(closed.p99 < 500, `closed-loop p99 ${closed.p99} ms hides it (${closed.count} samples)`);
    } finally {
      await srv.close();
    }
  });

  it("ends by itself within its time bound when the server never answers", async () => {
    const srv = await startStubServer({ neverAnswer: true });
    try {
      const s = browsing(50, 1);
      const started = performance.now();
      const r = await runDriver({
        scenario: s,
        baseUrl: srv.url,
        eventId: "void",
        phase: "measure",
        timeoutMs: 400,
        graceMs: 300,
        pollSoldOut: false,
      });
      const tookS = (performance.now() - started) / 1000;
      // Bound: schedule 1 s + grace 0.3 s + the 2 s cut-off wait at most; generous for a loaded machine.
      assert.ok(tookS < 1 + 0.3 + 2 + 3, `took ${tookS} s`);
      assert.equal(r.journeys.started, 50);
      assert.equal(r.journeys.completed + (r.journeys.outcomes["cut-off"] ?? 0), 50);
      assert.equal(r.requests.byStatus["no-response"], r.requests.total);
      assert.equal(r.errors.count, r.requests.total);
      assert.ok((r.errors.byCode.timeout ?? 0) + (r.errors.byCode.cut_off ?? 0) === r.errors.count);
    } finally {
      await srv.close();
    }
  });

  it("drops arrivals beyond maxInFlight, counts them and flags the schedule", async () => {
    const srv = await startStubServer({ neverAnswer: true });
    try {
      const r = await runDriver({
        scenario: browsing(100, 1),
        baseUrl: srv.url,
        eventId: "void",
        phase: "measure",
        maxInFlight: 10,
        timeoutMs: 5_000,
        graceMs: 100,
        pollSoldOut: false,
      });
      assert.equal(r.journeys.started, 10);
      assert.equal(r.journeys.dropped, 90);
      assert.equal(r.health.keptSchedule, false);
      assert.match(r.health.problems.join(" "), /90 arrivals dropped/);
      assert.equal(r.journeys.outcomes["cut-off"], 10);
    } finally {
      await srv.close();
    }
  });

  it("refuses non-loopback targets unless allowed", () => {
    assert.throws(() => checkTarget("http://10.1.2.3:8080"), /refusing non-loopback/);
    assert.equal(checkTarget("http://10.1.2.3:8080", true).host, "10.1.2.3:8080");
    assert.equal(checkTarget("http://127.0.0.1:1").hostname, "127.0.0.1");
  });
});

/**
 * A closed-loop measurement as wrk/ab do it: `connections` loops, each sends the next request when the previous
 * answered, latency from the actual send. Bounded by time; stalls the server once at 2 s, as in the open run.
 */
async function closedLoop(url: string, path: string, connections: number, durationMs: number, stall: () => void) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const lat: number[] = [];
  const end = performance.now() + durationMs;
  const timer = setTimeout(stall, 2000);
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const res = await pool.request({ path, method: "GET" });
        await res.body.dump();
        lat.push(performance.now() - t);
      }
    }),
  );
  clearTimeout(timer);
  await pool.close();
  lat.sort((a, b) => a - b);
  return { count: lat.length, p99: lat[Math.floor(lat.length * 0.99)] ?? 0, max: lat.at(-1) ?? 0 };
}
