import { ID_PATTERN } from "./ids.ts";
import { LIMITS } from "./limits.ts";
import { ConfirmRequest, HoldRequest, SeatsQuery } from "./schemas.ts";
import { parseOrThrow } from "./validate.ts";

/**
 * Hand-written checks for the booking mix's inputs (hold body, confirm body, listing query), in front of the
 * zod schemas: an input that passes them is exactly one the schema accepts, with the same output; anything else
 * goes to `parseOrThrow`, which accepts it or words the contract's 400. zod showed in every profile of a
 * request; these cost a few property reads and one regex per id.
 */

type Json = Record<string, unknown>;

const isPlain = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const isId = (v: unknown): v is string => typeof v === "string" && ID_PATTERN.test(v);

/** Number of own enumerable keys, stopping early past `max`. */
function keyCount(o: Json, max: number): number {
  let n = 0;
  for (const _ in o) if (++n > max) break;
  return n;
}

/** `POST /events/{eventId}/holds` body. */
export function parseHoldRequest(json: unknown): HoldRequest {
  if (isPlain(json) && keyCount(json, 3) === 3) {
    const { seatId, userId, requestId } = json;
    if (typeof seatId === "string" && seatId.length >= 3 && seatId.length <= 130 && isId(userId) && isId(requestId)) {
      return { seatId, userId, requestId };
    }
  }
  return parseOrThrow(HoldRequest, json);
}

/** `POST .../holds/{holdId}/confirm` body (`{}` when empty). */
export function parseConfirmRequest(json: unknown): ConfirmRequest {
  if (isPlain(json)) {
    const n = keyCount(json, 1);
    if (n === 0) return {};
    if (n === 1 && isId(json.requestId)) return { requestId: json.requestId };
  }
  return parseOrThrow(ConfirmRequest, json);
}

const STATUSES = new Set(["available", "held", "sold"]);
const LIMIT = /^[1-9][0-9]{0,3}$/;

/** `GET /events/{eventId}/seats` query (as `c.req.query()` gives it: one string per key). */
export function parseSeatsQuery(query: Record<string, string>): SeatsQuery {
  const { status, section, limit } = query;
  const known = (status === undefined ? 0 : 1) + (section === undefined ? 0 : 1) + (limit === undefined ? 0 : 1);
  const n = limit === undefined ? LIMITS.defaultListLimit : LIMIT.test(limit) ? Number(limit) : 0;
  if (
    (status === undefined || STATUSES.has(status)) &&
    (section === undefined || ID_PATTERN.test(section)) &&
    n >= 1 &&
    n <= LIMITS.maxListLimit &&
    keyCount(query, known) === known
  ) {
    // The schema's key order; absent optional keys stay absent, as zod leaves them.
    const out: SeatsQuery = {} as SeatsQuery;
    if (status !== undefined) out.status = status as SeatsQuery["status"];
    if (section !== undefined) out.section = section;
    out.limit = n;
    return out;
  }
  return parseOrThrow(SeatsQuery, query, "query");
}
