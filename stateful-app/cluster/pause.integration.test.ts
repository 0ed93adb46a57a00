// Pause test (issue 5), the classic split brain: SIGSTOP a node longer than ownership takes to move, let another
// node sell its seats, SIGCONT it: none of its late writes succeed, no seat is sold twice.
import assert from "node:assert/strict";
import { it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { call, createEvent, ownedOnlyBy, shardOfSeat, shardOwners, useCluster, waitFor } from "./testing/cluster.ts";

const cluster = useCluster();

/** A string field of an answer's JSON body ("" when absent). */
function field(res: { json: unknown } | null, name: string): string {
  return String((res?.json as Record<string, unknown> | undefined)?.[name] ?? "");
}

/** Sends until a final answer (not 503, not a transport error), at most `tries` times. */
async function settle(base: string, method: "GET" | "POST", path: string, body?: unknown, tries = 60) {
  for (let i = 0; i < tries; i++) {
    const res = await call(base, method, path, body);
    if (res !== null && res.status !== 503) return res;
    await sleep(100);
  }
  return null;
}

it("a paused node that wakes up after losing its shards cannot write or answer from stale memory", async () => {
  const nodes = cluster.stack.nodes.map((n) => n.id);
  await waitFor("all shards owned", () => ownedOnlyBy(cluster.db, nodes));
  const [first, victim, third] = cluster.stack.nodes;
  assert.ok(first && victim && third);
  const eventId = `pause-${Date.now()}`;
  const seats = await createEvent(cluster.stack.url, eventId, 24, 10);
  const owners = await shardOwners(cluster.db);
  const mine = seats.filter((s) => owners[shardOfSeat(eventId, s)] === victim.id);
  const [earlySeat, contested] = mine;
  assert.ok(earlySeat && contested, "the victim owns at least one section");

  // The victim holds state in memory: a confirmed booking and an active hold it served itself.
  const early = await settle(victim.url, "POST", `/events/${eventId}/holds`, {
    seatId: earlySeat,
    userId: "early",
    requestId: "r-early",
  });
  assert.equal(early?.status, 201);
  const earlyHold = field(early, "holdId");
  const earlyBooking = await settle(victim.url, "POST", `/events/${eventId}/holds/${earlyHold}/confirm`, {});
  assert.equal(earlyBooking?.status, 200);

  await cluster.stack.killNode(victim.id, "SIGSTOP");
  // A write the paused node will only read when it wakes up.
  const late = call(victim.url, "POST", `/events/${eventId}/holds`, {
    seatId: contested,
    userId: "late",
    requestId: "r-late",
  });
  const survivors = nodes.filter((n) => n !== victim.id);
  await waitFor("the survivors to take the paused node's shards", () => ownedOnlyBy(cluster.db, survivors), 30_000);

  const win = await settle(first.url, "POST", `/events/${eventId}/holds`, {
    seatId: contested,
    userId: "winner",
    requestId: "r-winner",
  });
  assert.equal(win?.status, 201, JSON.stringify(win?.json));
  const winHold = field(win, "holdId");
  const sale = await settle(third.url, "POST", `/events/${eventId}/holds/${winHold}/confirm`, {});
  assert.equal(sale?.status, 200);
  const booking = field(sale, "bookingId");

  await cluster.stack.killNode(victim.id, "SIGCONT");
  const lateAnswer = await late;
  console.log(JSON.stringify({ figure: "pause", lateWrite: lateAnswer?.status ?? "connection closed" }));
  assert.notEqual(lateAnswer?.status, 201, `late write answered ${JSON.stringify(lateAnswer)}`);
  // Any answer the woken node still gives must be right (forwarded or 503), never its stale memory.
  const probe = await call(victim.url, "GET", `/events/${eventId}/bookings/${booking}`);
  assert.ok(probe === null || probe.status === 200 || probe.status === 503, `probe: ${JSON.stringify(probe)}`);
  const exit = await Promise.race([victim.exited, sleep(10_000).then(() => "still running" as const)]);
  assert.equal(exit, 70, "the woken node finds itself declared dead and exits");

  // The journal never took a write of the late request, and the seat is sold once, to the winner.
  const lateRows = await cluster.db.query(
    "SELECT count(*)::int AS n FROM actor_journal WHERE event->>'userId' = 'late'",
  );
  assert.equal(lateRows.rows[0]?.n, 0);
  const sold = await settle(first.url, "GET", `/events/${eventId}/bookings/${booking}`);
  assert.equal(field(sold, "userId"), "winner");
  const earlyAfter = await settle(third.url, "GET", `/events/${eventId}/bookings/${field(earlyBooking, "bookingId")}`);
  assert.equal(earlyAfter?.status, 200, "the booking acknowledged before the pause survived");
  const again = await settle(third.url, "POST", `/events/${eventId}/holds`, {
    seatId: contested,
    userId: "third",
    requestId: "r-third",
  });
  assert.equal(again?.status, 409);
});
