import { randomFillSync } from "node:crypto";
import { parseSeatId } from "../contract/index.ts";

/** Generated ids (holdId, bookingId) as the contract allows them: URL-safe, at most 200 characters. */
export { GENERATED_ID } from "../contract/index.ts";

// Hold and booking ids carry their seat, so confirm, release and booking reads go straight to the seat's Redis
// key with no lookup table. The 16-character token is 9 random bytes plus a 24-bit check value of (event, seat,
// random): an id issued for another event, or never issued, is recognised as unknown (404) without any state,
// while a released or expired hold of this event is still recognised as ours (204 / 410). The check is FNV-1a, not
// a MAC: it tells apart ids, it does not authorise anything (a cryptographic HMAC cost ~10% of a replica's CPU).
const HOLD_SEP = "~";
const BOOKING_SEP = ".";

function check(eventId: string, seatId: string, random: string): string {
  let h = 0x811c9dc5;
  const s = `${eventId}/${seatId}/${random}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return Buffer.from([h >>> 24, (h >>> 16) & 0xff, (h >>> 8) & 0xff]).toString("base64url");
}

// Random bytes drawn from a refilled pool: one getrandom call per 455 tokens instead of one per token.
const pool = Buffer.alloc(4095);
let offset = pool.length;

function randomPart(): string {
  if (offset + 9 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += 9;
  return pool.toString("base64url", offset - 9, offset);
}

/** A fresh token for a hold of `seatId` in `eventId`: base64url, 16 characters, never contains `~` or `.`. */
export function newToken(eventId: string, seatId: string): string {
  const random = randomPart();
  return random + check(eventId, seatId, random);
}

export function holdId(seatId: string, token: string): string {
  return `${seatId}${HOLD_SEP}${token}`;
}

/** The booking a hold turns into: derived from the hold, so every confirm of one hold names the same booking. */
export function bookingId(seatId: string, token: string): string {
  return `${seatId}${BOOKING_SEP}${token}`;
}

/** A hold or booking id taken apart. */
export interface SeatToken {
  seatId: string;
  sectionId: string;
  n: number;
  token: string;
}

function split(eventId: string, id: string, sep: string): SeatToken | undefined {
  const at = id.lastIndexOf(sep);
  if (at <= 0) return undefined;
  const seatId = id.slice(0, at);
  const token = id.slice(at + 1);
  if (!/^[A-Za-z0-9_-]{16}$/.test(token)) return undefined;
  if (check(eventId, seatId, token.slice(0, 12)) !== token.slice(12)) return undefined;
  const seat = parseSeatId(seatId);
  return seat ? { seatId, ...seat, token } : undefined;
}

/** The seat and token of a hold id issued for `eventId`; undefined for anything else. */
export function parseHoldId(eventId: string, id: string): SeatToken | undefined {
  return split(eventId, id, HOLD_SEP);
}

/** The seat and token of a booking id issued for `eventId`; undefined for anything else. */
export function parseBookingId(eventId: string, id: string): SeatToken | undefined {
  return split(eventId, id, BOOKING_SEP);
}
