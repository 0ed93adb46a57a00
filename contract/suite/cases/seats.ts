import assert from "node:assert/strict";
import { freshId } from "../api.ts";
import type { SuiteContext } from "../context.ts";
import { expectError } from "../expect.ts";

const range = (section: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${section}-${from + i}`);

/** `GET /events/{eventId}/seats?status&section&limit`. */
export function seatCases({ api, test }: SuiteContext): void {
  test("GET seats: every seat in layout order (sections as given, numbers ascending)", async () => {
    const eventId = await api.createEvent([
      { id: "B", seats: 12 },
      { id: "A-1", seats: 2 },
    ]);
    const seats = await api.seatsOk(eventId);
    assert.deepEqual(
      seats.map((s) => s.seatId),
      [...range("B", 1, 12), "A-1-1", "A-1-2"],
    );
    assert.ok(seats.every((s) => s.status === "available"));
  });

  test("GET seats: limit returns the first seats, default 100, maximum 1000", async () => {
    const eventId = await api.createEvent([{ id: "S", seats: 1_200 }]);
    const ids = async (query: string) => (await api.seatsOk(eventId, query)).map((s) => s.seatId);
    assert.deepEqual(await ids("?limit=11"), range("S", 1, 11));
    assert.deepEqual(await ids("?limit=1"), ["S-1"]);
    assert.deepEqual(await ids(""), range("S", 1, 100));
    assert.deepEqual(await ids("?limit=1000"), range("S", 1, 1_000));
  });

  test("GET seats: status and section filters combine", async () => {
    const eventId = await api.createEvent([
      { id: "B", seats: 6 },
      { id: "A", seats: 2 },
    ]);
    await api.holdOk(eventId, "B-2");
    await api.confirmOk(eventId, await api.holdOk(eventId, "B-3"));
    await api.holdOk(eventId, "A-2");
    // Read after the writes: each listing may lag them by the app's staleness bound.
    const expectList = (query: string, expected: string[], message?: string) =>
      api.expectEventually(
        async () => (await api.seatsOk(eventId, query)).map((s) => `${s.seatId}:${s.status}`),
        expected,
        message ?? query,
      );
    await expectList("?status=held", ["B-2:held", "A-2:held"]);
    await expectList("?status=sold", ["B-3:sold"]);
    await expectList("?status=held&section=A", ["A-2:held"]);
    await expectList("?status=available&section=B&limit=3", ["B-1:available", "B-4:available", "B-5:available"]);
    await expectList("?section=A", ["A-1:available", "A-2:held"]);
    await expectList("?section=Z", [], "an unknown section is an empty list");
  });

  test("GET seats: invalid query values -> 400 invalid_request naming the parameter", async () => {
    const eventId = await api.createEvent();
    const cases: Array<[string, string]> = [
      ["?status=bogus", "status"],
      ["?status=", "status"],
      ["?limit=0", "limit"],
      ["?limit=1001", "limit"],
      ["?limit=abc", "limit"],
      ["?limit=2.5", "limit"],
      ["?limit=-1", "limit"],
      ["?section=bad.id", "section"],
      [`?section=${"x".repeat(65)}`, "section"],
      ["?foo=1", "foo"],
    ];
    for (const [query, field] of cases) expectError(await api.seats(eventId, query), "invalid_request", field);
  });

  test("GET seats: 404 not_found naming eventId for an unknown event", async () => {
    expectError(await api.seats(freshId("missing")), "not_found", "eventId");
  });
}
