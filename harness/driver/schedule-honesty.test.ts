import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadScenario } from "../../scenarios/index.ts";
import type { Scenario } from "../../scenarios/types.ts";
import { prepareEvent, runDriver } from "./index.ts";
import { startStubServer } from "./stub-server.ts";

/** Browse-only journeys at a constant rate: 2 requests each, no think time. */
function browsing(rate: number, durationS: number): Scenario {
  const s = structuredClone(loadScenario("browse-heavy", "ci"));
  s.journey = { ...s.journey, browseOnly: 1, thinkMs: 0 };
  s.arrival = { ...s.arrival, startRate: rate, stages: [{ durationS, target: rate }], maxJourneys: 100_000 };
  return s;
}

// The schedule verdict is judged from each request's intended send time: time the driver itself lost (a
// stalled event loop, a wait for a connection inside the client) and arrivals it dropped must show up in the
// latency tail and in `keptSchedule`, never be hidden by them.
describe("honest schedule accounting", () => {
  it("a planted client-side stall shows up in p99 and breaks the schedule verdict", async () => {
    const srv = await startStubServer();
    try {
      const s = browsing(200, 4);
      await prepareEvent({ baseUrl: srv.url, eventId: "busy", scenario: s });
      let timer: NodeJS.Timeout | undefined;
      const r = await runDriver({
        scenario: s,
        baseUrl: srv.url,
        eventId: "busy",
        phase: "measure",
        seed: 3,
        pollSoldOut: false,
        onStart: () => {
          // The driver's own event loop blocks for 600 ms: every request due meanwhile goes out late.
          timer = setTimeout(() => {
            const until = performance.now() + 600;
            while (performance.now() < until) {}
          }, 1500);
        },
      });
      clearTimeout(timer);
      // ~120 journeys were due during the stall: ~15% of the requests waited up to 600 ms in the client.
      assert.ok(r.latency.p99 >= 400, `p99 ${r.latency.p99} ms`);
      assert.ok(r.health.p99LagMs >= 300, `send lag p99 ${r.health.p99LagMs} ms`);
      assert.equal(r.health.keptSchedule, false);
      assert.match(r.health.problems.join(" "), /went out late/);
      // Requests that were due but not sent yet have no service time to show it: latency from the intended time does.
      assert.ok(r.latency.p99 >= r.serviceTime.p99, `service p99 ${r.serviceTime.p99} ms`);
    } finally {
      await srv.close();
    }
  });

  it("time spent waiting for a connection inside the client counts as lateness", async () => {
    // 4 connections, 50 ms answers: at most 80 requests/s get through, 200 journeys/s are due.
    const srv = await startStubServer({ delayMs: 50 });
    try {
      const s = browsing(200, 2);
      await prepareEvent({ baseUrl: srv.url, eventId: "queue", scenario: s });
      const r = await runDriver({
        scenario: s,
        baseUrl: srv.url,
        eventId: "queue",
        phase: "measure",
        seed: 4,
        connections: 4,
        timeoutMs: 3_000,
        graceMs: 500,
        pollSoldOut: false,
      });
      // Every journey started on time, none was dropped: only the requests' own lateness shows the queue.
      assert.equal(r.journeys.dropped, 0);
      assert.equal(r.health.connections?.peak, 4);
      assert.equal(r.health.keptSchedule, false);
      assert.ok(r.health.p99LagMs >= 500, `send lag p99 ${r.health.p99LagMs} ms`);
      assert.ok(r.latency.p99 >= 500, `p99 ${r.latency.p99} ms`);
    } finally {
      await srv.close();
    }
  });

  it("dropped arrivals are failed requests whose latency runs until the run gave up on them", async () => {
    const srv = await startStubServer({ neverAnswer: true });
    try {
      const r = await runDriver({
        scenario: browsing(100, 1),
        baseUrl: srv.url,
        eventId: "void",
        phase: "measure",
        maxInFlight: 10,
        timeoutMs: 5_000,
        graceMs: 300,
        pollSoldOut: false,
      });
      assert.equal(r.journeys.dropped, 90);
      assert.equal(r.errors.byCode.dropped, 90);
      // 90 dropped + 10 cut off: every request failed, and the dropped ones waited from their arrival until the
      // cut-off (schedule 1 s + grace 0.3 s): the tail holds them.
      assert.equal(r.requests.total, 100);
      assert.equal(r.errors.count, 100);
      assert.equal(r.requests.byEndpoint["event-summary"]?.count, 100);
      assert.ok(r.latency.p99 >= 1_100, `p99 ${r.latency.p99} ms`);
      assert.ok(r.latency.p50 >= 300, `p50 ${r.latency.p50} ms`);
      assert.equal(r.health.keptSchedule, false);
      assert.equal(r.serviceTime.count, 10, "a dropped arrival was never sent: no service time");
    } finally {
      await srv.close();
    }
  });

  it("opens one connection per in-flight request, so the server sees them all", async () => {
    // 300 ms answers at 200 journeys/s: ~60 requests in flight at once, each on its own connection.
    const srv = await startStubServer({ delayMs: 300 });
    try {
      const s = browsing(200, 2);
      await prepareEvent({ baseUrl: srv.url, eventId: "conns", scenario: s });
      const r = await runDriver({
        scenario: s,
        baseUrl: srv.url,
        eventId: "conns",
        phase: "measure",
        seed: 5,
        pollSoldOut: false,
      });
      const c = r.health.connections;
      assert.equal(c?.max, 10_000);
      assert.match(c?.model ?? "", /per in-flight request/);
      assert.ok((c?.peak ?? 0) >= 50, `peak connections ${c?.peak}`);
      assert.equal(r.errors.count, 0);
    } finally {
      await srv.close();
    }
  });
});
