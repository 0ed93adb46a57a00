import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Booking, Hold } from "../../contract/index.ts";
import { type Stack, startStack } from "../../harness/stack/index.ts";
import { createEvent, Http, SINGLE_NODE } from "./http.ts";

const SEATS = 400;
const WORKERS = 32;
const KILL_AFTER_ACKS = 200;

// Sync mode (the default): SIGKILL the node in the middle of holds and confirms, start a new node on the same
// database, and check every acknowledged answer against it. Section actors with frequent snapshots, so recovery
// goes through snapshot + journal tail.
describe("recovery after SIGKILL, sync persistence", () => {
  let stack: Stack;
  const clients: Http[] = [];
  before(async () => {
    stack = await startStack({
      app: "stateful",
      nodes: 1,
      granularity: "section",
      env: { ...SINGLE_NODE, SNAPSHOT_EVERY: "25" },
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await stack?.stop();
  });

  it("every acknowledged hold and booking is recovered, and expiry timers run again", async () => {
    const first = stack.nodes[0];
    assert.ok(first);
    const http = new Http(first.url, WORKERS);
    clients.push(http);
    const eventId = await createEvent(http, SEATS);
    const shortEventId = await createEvent(http, 5, 3_000, "short");
    for (let n = 1; n <= 5; n++) {
      const res = await http.send("POST", `/events/${shortEventId}/holds`, {
        seatId: `A-${n}`,
        userId: "u",
        requestId: `s${n}`,
      });
      assert.equal(res.status, 201);
    }

    const holds = new Map<string, { body: object; hold: Hold }>();
    const bookings: Booking[] = [];
    let next = 1;
    let acks = 0;
    let stopped = false;
    const worker = async () => {
      while (!stopped && next <= SEATS) {
        const n = next++;
        const body = { seatId: `A-${n}`, userId: `u${n}`, requestId: `r${n}` };
        try {
          const held = await http.send("POST", `/events/${eventId}/holds`, body);
          if (held.status !== 201) throw new Error(`hold ${held.status}`);
          const hold = held.json as Hold;
          holds.set(hold.seatId, { body, hold });
          acks++;
          if (n % 2 === 0) {
            const confirmed = await http.send("POST", `/events/${eventId}/holds/${hold.holdId}/confirm`);
            if (confirmed.status !== 200) throw new Error(`confirm ${confirmed.status}`);
            bookings.push(confirmed.json as Booking);
            acks++;
          }
        } catch {
          return; // the node died under this request: not acknowledged
        }
      }
    };
    const loops = Array.from({ length: WORKERS }, worker);
    while (acks < KILL_AFTER_ACKS && next <= SEATS) await sleep(5);
    await stack.killNode(first.id, "SIGKILL");
    stopped = true;
    await Promise.all(loops);
    assert.ok(holds.size > 0 && bookings.length > 0, "load ran before the kill");

    const [second] = await stack.addNodes(1);
    assert.ok(second);
    const again = new Http(second.url, 16);
    clients.push(again);
    for (const booking of bookings) {
      const res = await again.send("GET", `/events/${eventId}/bookings/${booking.bookingId}`);
      assert.equal(res.status, 200, `acknowledged booking ${booking.bookingId} lost`);
      assert.deepEqual(res.json, booking);
    }
    const listing = (await again.send("GET", `/events/${eventId}/seats?limit=1000`)).json as {
      seats: Array<{ seatId: string; status: string }>;
    };
    const status = new Map(listing.seats.map((s) => [s.seatId, s.status]));
    for (const booking of bookings) assert.equal(status.get(booking.seatId), "sold", `${booking.seatId} not sold`);
    for (const [seatId, { body, hold }] of holds) {
      assert.notEqual(status.get(seatId), "available", `acknowledged hold on ${seatId} lost`);
      // The recovered actor knows the request: a retry gets the first answer.
      const retry = await again.send("POST", `/events/${eventId}/holds`, body);
      assert.equal(retry.status, 201);
      assert.deepEqual(retry.json, hold);
    }
    const summary = (await again.send("GET", `/events/${eventId}`)).json as { sold: number; held: number };
    assert.ok(summary.sold >= bookings.length);
    assert.ok(summary.sold + summary.held >= holds.size);

    // The short event's holds were taken before the kill; the new node re-arms their timers and frees the seats.
    const deadline = Date.now() + 3_000 + 10_000;
    let available = -1;
    while (Date.now() < deadline) {
      available = ((await again.send("GET", `/events/${shortEventId}`)).json as { available: number }).available;
      if (available === 5) break;
      await sleep(100);
    }
    assert.equal(available, 5, "expired holds not released after recovery");
  });
});
