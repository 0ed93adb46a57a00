import assert from "node:assert/strict";
import { EventLayout } from "../../schemas.ts";
import { freshId } from "../api.ts";
import type { SuiteContext } from "../context.ts";
import { expectError, expectOk } from "../expect.ts";

/** `PUT /events/{eventId}` and `GET /events/{eventId}`. */
export function eventCases({ api, test }: SuiteContext): void {
  test("PUT event: 201 echoes the layout, the summary shows every seat available", async () => {
    const eventId = freshId("ev");
    const sections = [
      { id: "A", seats: 5 },
      { id: "B-2", seats: 3 },
    ];
    const layout = expectOk(await api.putEvent(eventId, { sections, holdTtlMs: 1_000 }), 201, EventLayout);
    assert.deepEqual(layout, { eventId, sections, holdTtlMs: 1_000 });
    await api.expectCounts(eventId, { capacity: 8, available: 8, held: 0, sold: 0 });
  });

  test("PUT event: holdTtlMs defaults to 600000", async () => {
    const eventId = freshId("ev");
    const sections = [{ id: "A", seats: 1 }];
    const layout = expectOk(await api.putEvent(eventId, { sections }), 201, EventLayout);
    assert.equal(layout.holdTtlMs, 600_000);
  });

  test("PUT event again with the same layout: 200, nothing reset", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: 4 }]);
    await api.holdOk(eventId, "A-1");
    const again = expectOk(await api.putEvent(eventId, { sections: [{ id: "A", seats: 4 }] }), 200, EventLayout);
    assert.deepEqual(again, { eventId, sections: [{ id: "A", seats: 4 }], holdTtlMs: 600_000 });
    // The explicit default is the same layout as the omitted one.
    const explicit = { sections: [{ id: "A", seats: 4 }], holdTtlMs: 600_000 };
    expectOk(await api.putEvent(eventId, explicit), 200, EventLayout);
    await api.expectCounts(eventId, { capacity: 4, available: 3, held: 1, sold: 0 });
  });

  test("PUT event with a different layout: 409 layout_conflict, the old layout stays", async () => {
    const sections = [
      { id: "A", seats: 4 },
      { id: "B", seats: 2 },
    ];
    const eventId = await api.createEvent(sections, 60_000);
    const conflicting = [
      { sections: [{ id: "A", seats: 5 }, sections[1]], holdTtlMs: 60_000 },
      { sections, holdTtlMs: 60_001 },
      { sections }, // default TTL differs from 60000
      { sections: [sections[1], sections[0]], holdTtlMs: 60_000 }, // order is part of the layout
      { sections: [...sections, { id: "C", seats: 1 }], holdTtlMs: 60_000 },
      { sections: [sections[0]], holdTtlMs: 60_000 },
    ];
    for (const body of conflicting) expectError(await api.putEvent(eventId, body), "layout_conflict");
    await api.expectCounts(eventId, { capacity: 6, available: 6, held: 0, sold: 0 });
    expectOk(await api.putEvent(eventId, { sections, holdTtlMs: 60_000 }), 200, EventLayout);
  });

  test("PUT event with 200000 seats (the maximum): 201", async () => {
    const sections = [
      { id: "A", seats: 150_000 },
      { id: "B", seats: 50_000 },
    ];
    const eventId = await api.createEvent(sections);
    await api.expectCounts(eventId, { capacity: 200_000, available: 200_000, held: 0, sold: 0 });
    const hold = await api.holdOk(eventId, "A-150000");
    await api.confirmOk(eventId, hold);
    await api.holdOk(eventId, "B-50000");
    await api.expectCounts(eventId, { capacity: 200_000, available: 199_998, held: 1, sold: 1 });
  });

  test("GET event: 404 not_found naming eventId when it does not exist", async () => {
    expectError(await api.summary(freshId("missing")), "not_found", "eventId");
  });

  test("GET event: counts follow hold, confirm and release", async () => {
    const eventId = await api.createEvent([{ id: "A", seats: 5 }]);
    await api.expectCounts(eventId, { capacity: 5, available: 5, held: 0, sold: 0 });
    const h1 = await api.holdOk(eventId, "A-1");
    const h2 = await api.holdOk(eventId, "A-2");
    await api.holdOk(eventId, "A-3");
    await api.expectCounts(eventId, { capacity: 5, available: 2, held: 3, sold: 0 });
    await api.confirmOk(eventId, h1);
    await api.expectCounts(eventId, { capacity: 5, available: 2, held: 2, sold: 1 });
    assert.equal((await api.release(eventId, h2.holdId)).status, 204);
    await api.expectCounts(eventId, { capacity: 5, available: 3, held: 1, sold: 1 });
    const h4 = await api.holdOk(eventId, "A-2");
    await api.confirmOk(eventId, h4);
    await api.expectCounts(eventId, { capacity: 5, available: 2, held: 1, sold: 2 });
  });
}
