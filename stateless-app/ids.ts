import { randomBytes } from "node:crypto";
import { parseSeatId } from "../contract/index.ts";

/** Generated ids (holdId, bookingId) as the contract allows them: URL-safe, at most 200 characters. */
export const GENERATED_ID = /^[A-Za-z0-9_.~-]{1,200}$/;

// Hold and booking ids carry the seat they belong to, so a confirm, release or booking read goes straight to the
// seat's Redis key with no lookup table. The token is base64url (no `~` or `.`), seat ids contain neither.
const HOLD_SEP = "~";
const BOOKING_SEP = ".";

/** A fresh random hold token (96 bits). */
export function newToken(): string {
  return randomBytes(12).toString("base64url");
}

export function holdId(seatId: string, token: string): string {
  return `${seatId}${HOLD_SEP}${token}`;
}

/** The booking a hold turns into: derived from the hold, so every confirm of one hold names the same booking. */
export function bookingId(seatId: string, token: string): string {
  return `${seatId}${BOOKING_SEP}${token}`;
}

export interface SeatToken {
  seatId: string;
  sectionId: string;
  n: number;
  token: string;
}

function split(id: string, sep: string): SeatToken | undefined {
  const at = id.lastIndexOf(sep);
  if (at <= 0) return undefined;
  const seatId = id.slice(0, at);
  const token = id.slice(at + 1);
  if (!/^[A-Za-z0-9_-]{16}$/.test(token)) return undefined;
  const seat = parseSeatId(seatId);
  return seat ? { seatId, ...seat, token } : undefined;
}

/** The seat and token inside a hold id; undefined when it is not one this app generated. */
export function parseHoldId(id: string): SeatToken | undefined {
  return split(id, HOLD_SEP);
}

/** The seat and token inside a booking id; undefined when it is not one this app generated. */
export function parseBookingId(id: string): SeatToken | undefined {
  return split(id, BOOKING_SEP);
}
