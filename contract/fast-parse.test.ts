import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "./errors.ts";
import { parseConfirmRequest, parseHoldRequest, parseSeatsQuery } from "./fast-parse.ts";
import { ConfirmRequest, HoldRequest, SeatsQuery } from "./schemas.ts";
import { parseOrThrow } from "./validate.ts";

/** What a parser does with an input: its output, or the 400 it throws. */
function outcome(parse: () => unknown): unknown {
  try {
    return { ok: parse() };
  } catch (err) {
    assert.ok(err instanceof ApiError, `not an ApiError: ${err}`);
    return { status: err.status, code: err.code, message: err.message, field: err.field };
  }
}

const ids = ["u", "user-1", "A_b", "x".repeat(64), "x".repeat(65), "", "a b", "r!", "é", 5, null, undefined, true];
const seats = ["A-1", "S12-345", "A1", "", "ab", "x".repeat(130), "x".repeat(131), 7, null, undefined];

describe("fast parsers agree with the zod schemas", () => {
  it("hold bodies: same output or the same 400", () => {
    const bodies: unknown[] = [null, [], "A-1", 3, {}, JSON.parse('{"__proto__":1,"seatId":"A-1","userId":"u"}')];
    for (const seatId of seats)
      for (const userId of ids.slice(0, 8))
        for (const requestId of ["r", "r!", undefined]) bodies.push({ seatId, userId, requestId });
    bodies.push({ seatId: "A-1", userId: "u", requestId: "r", extra: 1 }, { seatId: "A-1", userId: "u", price: 2 });
    for (const body of bodies) {
      const input = structuredClone(body);
      assert.deepEqual(
        outcome(() => parseHoldRequest(input)),
        outcome(() => parseOrThrow(HoldRequest, input)),
        JSON.stringify(body),
      );
    }
  });

  it("confirm bodies: same output or the same 400", () => {
    const bodies: unknown[] = [null, [], "x", {}, { requestId: 1 }, { requestId: "r", x: 1 }, { x: 1 }];
    for (const requestId of ids) bodies.push({ requestId });
    for (const body of bodies) {
      assert.deepEqual(
        outcome(() => parseConfirmRequest(body)),
        outcome(() => parseOrThrow(ConfirmRequest, body)),
        JSON.stringify(body),
      );
    }
  });

  it("listing queries: same output (key order included) or the same 400", () => {
    const queries: Array<Record<string, string>> = [{}, { extra: "1" }, { status: "available", extra: "1" }];
    for (const status of [undefined, "available", "held", "sold", "free", ""])
      for (const section of [undefined, "S1", "a b", "", "x".repeat(65)])
        for (const limit of [
          undefined,
          "1",
          "100",
          "1000",
          "1001",
          "0",
          "0100",
          " 5",
          "1e2",
          "0x10",
          "-1",
          "",
          "2.5",
        ]) {
          const q: Record<string, string> = {};
          if (status !== undefined) q.status = status;
          if (section !== undefined) q.section = section;
          if (limit !== undefined) q.limit = limit;
          queries.push(q);
        }
    for (const q of queries) {
      const fast = outcome(() => parseSeatsQuery({ ...q }));
      const slow = outcome(() => parseOrThrow(SeatsQuery, { ...q }, "query"));
      assert.deepEqual(fast, slow, JSON.stringify(q));
      assert.deepEqual(JSON.stringify(fast), JSON.stringify(slow), JSON.stringify(q));
    }
  });
});
