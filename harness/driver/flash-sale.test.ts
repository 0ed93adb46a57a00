import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeFromCompressedBase64 } from "hdr-histogram-js";
import { loadScenario, withOverrides } from "../../scenarios/index.ts";
import type { AckRecord } from "../results/types.ts";
import { prepareEvent, runDriver } from "./index.ts";
import { startStubServer } from "./stub-server.ts";

describe("a flash sale against the stub", () => {
  let srv: Awaited<ReturnType<typeof startStubServer>>;
  before(async () => {
    srv = await startStubServer({ record: true });
  });
  after(() => srv.close());

  it("keeps warm-up out of the measured result, sells out, stops after the tail, acks every write", async () => {
    // A long enough schedule that the sale sells out well inside it, even on a loaded machine.
    const s = withOverrides(loadScenario("flash-sale", "ci"), { rate: 200, durationS: 30, seats: 200 });
    await prepareEvent({ baseUrl: srv.url, eventId: "fs-warm", scenario: s });
    await prepareEvent({ baseUrl: srv.url, eventId: "fs", scenario: s });
    const acks: Array<AckRecord & { phase: string }> = [];
    const seconds: number[] = [];
    const warm = await runDriver({
      scenario: s,
      baseUrl: srv.url,
      eventId: "fs-warm",
      phase: "warmup",
      seed: 3,
      onAck: (a) => acks.push({ ...a, phase: "warmup" }),
    });
    const res = await runDriver({
      scenario: s,
      baseUrl: srv.url,
      eventId: "fs",
      phase: "measure",
      seed: 3,
      onAck: (a) => acks.push({ ...a, phase: "measure" }),
      onSecond: (x) => seconds.push(x.t),
    });
    assert.equal(warm.phase, "warmup");
    assert.equal(warm.journeys.scheduled, s.arrival.warmupS * s.arrival.warmupRate);
    // Journeys of this scenario never read the summary, so every /events/<id>/... request is a journey's.
    const journeyRequests = (id: string) => srv.received.filter((x) => x.path.startsWith(`/events/${id}/`)).length;
    assert.equal(warm.requests.total, journeyRequests("fs-warm"));
    assert.equal(res.requests.total, journeyRequests("fs"), "measure counts only its own requests");
    for (const a of acks) assert.ok(a.userId.startsWith(a.phase === "warmup" ? "w" : "m"), a.userId);

    assert.equal(res.window.endedBy, "sold-out");
    assert.ok(res.sellOutS !== null && res.window.scheduleS <= res.sellOutS + s.tailS + 0.5);
    assert.equal(res.bookings.confirmed, 200, "every seat sold exactly once");
    const measured = acks.filter((a) => a.phase === "measure");
    const confirmed = measured.filter((a) => a.op === "confirm" && a.type === "ok");
    assert.equal(confirmed.length, res.bookings.confirmed);
    assert.equal(new Set(confirmed.map((a) => a.seatId)).size, confirmed.length);
    assert.equal(measured.filter((a) => a.op === "hold" && a.type === "ok").length, res.bookings.holds);
    assert.ok(res.bookings.conflicts > 0, "the hot seats were contested");
    assert.equal(res.errors.count, 0);
    assert.deepEqual(seconds, res.series.t);
    const h = decodeFromCompressedBase64(res.histograms.all);
    assert.equal(h.totalCount, res.requests.total);
    assert.equal(res.spectrum.at(-1)?.[0], 100);
  });
});
