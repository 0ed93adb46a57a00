// scenarios/k6/script.js run under a k6 shim: the script's own code, its k6/* imports answered by test/k6-shim, synchronous requests against a real HTTP server (the contract's
// reference app), its samples written in k6's --out json format and read back by the harness's parser.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseK6Ndjson } from "../harness/k6/parse.ts";
import { k6Acks, k6ResultToDriverResult } from "../harness/k6/to-driver-result.ts";
import { loadScenario, type Scenario, scenarioToJson, withOverrides } from "../scenarios/index.ts";
import { ENDPOINTS } from "../scenarios/journey-logic.js";
import {
  loadK6Script,
  resetShim,
  runIterations,
  type SyncHttp,
  shim,
  startSyncHttp,
  toK6Ndjson,
} from "./k6-shim/index.ts";

const scriptPath = new URL("../scenarios/k6/script.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "statebench-k6-shim-"));
let server: SyncHttp;

before(async () => {
  server = await startSyncHttp();
  shim.transport = server.request;
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function createEvent(s: Scenario, eventId: string) {
  const res = await fetch(`${server.url}/events/${eventId}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sections: s.event.sections, holdTtlMs: s.event.holdTtlMs }),
  });
  assert.equal(res.status, 201);
}

async function runUnderShim(s: Scenario, eventId: string, phase: "measure" | "warmup", journeys: number) {
  const file = join(dir, `${eventId}.json`);
  writeFileSync(file, scenarioToJson(s));
  resetShim();
  const script = await loadK6Script(scriptPath, {
    SCENARIO_FILE: file,
    BASE_URL: server.url,
    EVENT_ID: eventId,
    WARMUP_EVENT_ID: `${eventId}-w`,
    PHASE: phase,
    RUN_SEED: "7",
  });
  script.setup?.();
  const startTime = Date.now();
  const k6Scenario = phase === "measure" ? "measured" : "warmup";
  runIterations(script, k6Scenario, journeys, startTime);
  const lines = toK6Ndjson(shim.samples).map((l) => `${l}\n`);
  const run = await parseK6Ndjson(lines, { scenario: k6Scenario });
  const res = k6ResultToDriverResult(run, { phase, seed: 7, scheduleS: 1, endedBy: "schedule" });
  return { script, startTime, run, res, acks: k6Acks(run) };
}

describe("k6 script journey under a k6 shim (exact iteration counts, which a real k6 run does not give)", () => {
  it("flash sale: availability reads, holds, confirms, releases and the sell-out, with a complete ack log", async () => {
    const s = withOverrides(loadScenario("flash-sale", "ci"), { seats: 40 });
    await createEvent(s, "k6-flash");
    const n = 80;
    const { script, startTime, run, res, acks } = await runUnderShim(s, "k6-flash", "measure", n);

    assert.deepEqual(Object.keys((script.options as { scenarios: object }).scenarios), ["measured"]);
    assert.equal(run.windowStartMs, startTime);
    assert.equal(res.journeys.started, n);
    assert.equal(res.journeys.completed, n);
    assert.equal(res.journeys.dropped, 0);
    for (const e of Object.keys(res.requests.byEndpoint)) assert.ok((ENDPOINTS as readonly string[]).includes(e), e);
    assert.equal(res.errors.count, 0, JSON.stringify(res.errors));
    assert.ok((res.journeys.outcomes.confirmed ?? 0) > 0, JSON.stringify(res.journeys.outcomes));
    assert.ok((res.journeys.outcomes["sold-out"] ?? 0) > 0, "late journeys meet the sold-out event");
    // Think time between steps, none before a journey's first request (the shim records sleeps).
    assert.equal(shim.sleptMs, (res.requests.total - n) * s.journey.thinkMs);

    // Every write the clients made is in the ack log, with what they were told.
    const writes = ["hold", "confirm", "release"].reduce((sum, e) => sum + (res.requests.byEndpoint[e]?.count ?? 0), 0);
    assert.equal(acks.length, writes);
    assert.ok(acks.every((a) => a.userId.startsWith("m7-") && a.seatId !== "" && a.t >= 0));
    const confirmed = acks.filter((a) => a.op === "confirm" && a.type === "ok");
    assert.equal(confirmed.length, res.bookings.confirmed);
    // The server agrees: every acknowledged booking is there, same seat and user; nothing else was sold.
    for (const a of confirmed) {
      const b = await fetch(`${server.url}/events/k6-flash/bookings/${a.bookingId}`);
      assert.equal(b.status, 200);
      const body = (await b.json()) as { seatId: string; userId: string };
      assert.deepEqual([body.seatId, body.userId], [a.seatId, a.userId]);
    }
    const summary = (await (await fetch(`${server.url}/events/k6-flash`)).json()) as { sold: number };
    assert.equal(summary.sold, confirmed.length);
    assert.equal(new Set(confirmed.map((a) => a.seatId)).size, confirmed.length);
  });

  it("hot seats: 409s are retried on other seats up to holdAttempts, and counted", async () => {
    const s = loadScenario("hot-seats", "ci");
    await createEvent(s, "k6-hot");
    const { res, acks } = await runUnderShim(s, "k6-hot", "measure", 120);
    assert.ok(res.bookings.conflicts > 0, "conflicts on the hot seats");
    assert.equal(res.bookings.conflicts, acks.filter((a) => a.op === "hold" && a.status === 409).length);
    const holdsPerUser = new Map<string, string[]>();
    for (const a of acks.filter((x) => x.op === "hold"))
      holdsPerUser.set(a.userId, [...(holdsPerUser.get(a.userId) ?? []), a.seatId]);
    const retried = [...holdsPerUser.values()].filter((seats) => seats.length > 1);
    assert.ok(retried.length > 0, "some users retried");
    for (const seats of holdsPerUser.values()) {
      assert.ok(seats.length <= s.journey.holdAttempts);
      assert.equal(new Set(seats).size, seats.length, "a retry picks another seat");
    }
    assert.ok(acks.every((a) => Number(a.seatId.split("-")[1]) <= (s.journey.hotSeats ?? 0)));
  });

  it("warm-up phase runs on its own event and users; the journey cap and setup's event check hold", async () => {
    const s = loadScenario("flash-sale", "ci");
    await createEvent(s, "k6-warm-w");
    const { script, run, acks } = await runUnderShim(s, "k6-warm", "warmup", 5);
    assert.deepEqual(Object.keys((script.options as { scenarios: object }).scenarios), ["warmup"]);
    assert.ok(acks.length > 0 && acks.every((a) => a.userId.startsWith("w7-")));
    assert.equal(run.counters.journeys_started, 5);
    const measured = await parseK6Ndjson(toK6Ndjson(shim.samples), { scenario: "measured" });
    assert.equal(measured.requests.time.length, 0);

    // Beyond maxJourneys an iteration starts nothing.
    resetShim();
    shim.scenario = {
      name: "warmup",
      executor: "ramping-arrival-rate",
      startTime: 0,
      iterationInTest: s.arrival.maxJourneys,
    };
    script.run();
    assert.deepEqual(
      shim.samples.map((x) => x.metric),
      ["journeys_capped"],
    );
    // setup() refuses to load an event that does not exist.
    const file = join(dir, "missing.json");
    writeFileSync(file, scenarioToJson(s));
    const missing = await loadK6Script(scriptPath, { SCENARIO_FILE: file, BASE_URL: server.url, EVENT_ID: "nope" });
    assert.throws(() => missing.setup?.(), /nope answered 404: create the event first/);
  });
});
