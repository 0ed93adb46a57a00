import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Stack, startStack } from "../../harness/stack/index.ts";
import { createEvent, Http, SINGLE_NODE } from "./http.ts";

const SEATS = 100;
const ATTEMPTS = 2_000;

// 2,000 concurrent hold attempts by distinct users over 100 seats, per granularity.
for (const granularity of ["seat", "section"] as const) {
  describe(`concurrency, ${granularity} actors`, () => {
    let stack: Stack;
    let http: Http;
    before(async () => {
      stack = await startStack({ app: "stateful", nodes: 1, granularity, env: SINGLE_NODE });
      // Straight to the node: on a loaded 2-core machine HAProxy's 1 s health check can time out during the burst
      // and answer 503 itself, which would test the balancer rather than the actors.
      http = new Http(stack.nodes[0]?.url ?? "", 256);
    });
    after(async () => {
      await http?.close();
      await stack?.stop();
    });

    it(`${ATTEMPTS} concurrent holds over ${SEATS} seats: exactly one winner per seat`, async () => {
      const eventId = await createEvent(http, SEATS);
      const attempts = Array.from({ length: ATTEMPTS }, (_, i) => ({
        seatId: `A-${(i % SEATS) + 1}`,
        userId: `u${i}`,
        requestId: `r${i}`,
      }));
      const answers = await Promise.all(attempts.map((body) => http.send("POST", `/events/${eventId}/holds`, body)));
      const winners = new Map<string, string[]>();
      answers.forEach((a, i) => {
        const seat = attempts[i]?.seatId ?? "";
        if (a.status === 201) winners.set(seat, [...(winners.get(seat) ?? []), attempts[i]?.userId ?? ""]);
        else assert.equal(a.status, 409, `unexpected answer ${a.status} ${a.text.slice(0, 200)}`);
      });
      assert.equal(winners.size, SEATS, "every seat has a winner");
      for (const [seat, users] of winners) assert.equal(users.length, 1, `${seat} won by ${users.join(", ")}`);
      const summary = await http.send("GET", `/events/${eventId}`);
      assert.deepEqual(summary.json, { eventId, capacity: SEATS, available: 0, held: SEATS, sold: 0 });
      // The winner recorded by each seat's actor is the one that got the 201.
      const listing = (await http.send("GET", `/events/${eventId}/seats?status=held&limit=1000`)).json as {
        seats: unknown[];
      };
      assert.equal(listing.seats.length, SEATS);
    });
  });
}
