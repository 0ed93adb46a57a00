import { createHmac, randomBytes } from "node:crypto";
import { parseSeatId } from "../contract/index.ts";

/** Generated ids (holdId, bookingId) as the contract allows them: URL-safe, at most 200 characters. */
export const GENERATED_ID = /^[A-Za-z0-9_.~-]{1,200}$/;

// Hold and booking ids carry their seat, so confirm, release and booking reads go straight to the seat's Redis
// key with no lookup table. The 16-character token is 9 random bytes plus a 3-byte MAC of (event, seat, random):
// an id issued for another event, or never issued, is recognised as unknown (404) without any state, while a
// released or expired hold of this event is still recognised as ours (204 / 410). The MAC is a validity check,
// not an authorisation mechanism: the key is fixed so every replica agrees without configuration.
const MAC_KEY = "statebench-stateless-hold";
const HOLD_SEP = "~";
const BOOKING_SEP = ".";

function mac(eventId: string, seatId: string, random: string): string {
  return createHmac("sha256", MAC_KEY)
    .update(`${eventId}/${seatId}/${random}`)
    .digest()
    .subarray(0, 3)
    .toString("base64url");
}

/** A fresh token for a hold of `seatId` in `eventId`: base64url, 16 characters, never contains `~` or `.`. */
export function newToken(eventId: string, seatId: string): string {
  const random = randomBytes(9).toString("base64url");
  return random + mac(eventId, seatId, random);
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
  if (mac(eventId, seatId, token.slice(0, 12)) !== token.slice(12)) return undefined;
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
