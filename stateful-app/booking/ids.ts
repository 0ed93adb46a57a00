import { randomBytes } from "node:crypto";
import { GENERATED_ID, parseSeatId } from "../../contract/index.ts";

/**
 * Hold and booking ids carry the seat they belong to, `<seatId>.<random>` (booking: `<seatId>.b<random>`), so
 * any node can route a confirm, release or booking lookup to the owning actor without a lookup table. Seat ids
 * never contain `.` and base64url never does either, so the last `.` splits them.
 */
export function newHoldId(seatId: string): string {
  return `${seatId}.${randomToken()}`;
}

export function newBookingId(seatId: string): string {
  return `${seatId}.b${randomToken()}`;
}

// One `randomBytes` call per 455 tokens: each call is a trip into OpenSSL, which cost a fifth of the CPU of a
// hold + confirm when made per id.
const TOKEN_BYTES = 9;
let pool = Buffer.alloc(0);
let offset = 0;

/** 12 base64url characters of fresh randomness (72 bits). */
function randomToken(): string {
  if (offset + TOKEN_BYTES > pool.length) {
    pool = randomBytes(TOKEN_BYTES * 455);
    offset = 0;
  }
  const token = pool.toString("base64url", offset, offset + TOKEN_BYTES);
  offset += TOKEN_BYTES;
  return token;
}

/** The seat a generated id belongs to, or undefined when the id cannot be one of ours. */
export function seatOfId(id: string): string | undefined {
  if (!GENERATED_ID.test(id)) return undefined;
  const dot = id.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const seat = id.slice(0, dot);
  return parseSeatId(seat) === undefined ? undefined : seat;
}
