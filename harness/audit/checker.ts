import type { AckRecord, AuditResult } from "../results/types.ts";

/** A booking as the database holds it after the cold restart (read by the app's own durable-state reader). */
export interface DurableBooking {
  bookingId: string;
  seatId: string;
  userId: string;
}

export interface AuditInput {
  /** Everything clients were told, in order. */
  acks: AckRecord[];
  /** Bookings in the database after draining writes and a cold restart. */
  durable: DurableBooking[];
  /** `sold` from `GET /events/{id}` after the restart; null when the app could not answer. */
  soldApi: number | null;
}

const MAX_EXAMPLES = 10;

/**
 * The set checker of Jepsen, for bookings: every acknowledged confirmation must be present with the same seat
 * and user (else *lost*); every present booking must have been attempted (else *unexpected*); a booking whose
 * outcome the client never learned is *recovered* if present and *indeterminate* if not; no seat may hold two
 * bookings (*double-sold*); the API's sold count must equal the database's.
 */
export function checkBookings(input: AuditInput): AuditResult {
  const durableById = new Map(input.durable.map((b) => [b.bookingId, b]));
  const acked = input.acks.filter((a) => a.op === "confirm" && a.type === "ok");
  const examples: string[] = [];
  const notes: string[] = [];

  let lost = 0;
  const ackedIds = new Set<string>();
  for (const a of acked) {
    if (!a.bookingId || ackedIds.has(a.bookingId)) continue;
    ackedIds.add(a.bookingId);
    const found = durableById.get(a.bookingId);
    if (!found || found.seatId !== a.seatId || found.userId !== a.userId) {
      lost += 1;
      if (examples.length < MAX_EXAMPLES) examples.push(`lost ${a.bookingId} (${a.seatId} for ${a.userId})`);
    }
  }

  // A confirm the client attempted, by seat and user (booking ids of unknown outcomes are never seen).
  const attempted = new Map<string, "ok" | "fail" | "info">();
  for (const a of input.acks) {
    if (a.op !== "confirm") continue;
    const key = `${a.seatId}|${a.userId}`;
    const prev = attempted.get(key);
    if (prev !== "ok") attempted.set(key, a.type === "ok" ? "ok" : prev === "info" ? "info" : a.type);
  }
  let unexpected = 0;
  let recovered = 0;
  const perSeat = new Map<string, Set<string>>();
  for (const b of input.durable) {
    const seen = perSeat.get(b.seatId) ?? new Set<string>();
    seen.add(b.bookingId);
    perSeat.set(b.seatId, seen);
    if (ackedIds.has(b.bookingId)) continue;
    const how = attempted.get(`${b.seatId}|${b.userId}`);
    if (how === undefined || how === "fail") {
      unexpected += 1;
      if (examples.length < MAX_EXAMPLES) examples.push(`unexpected ${b.bookingId} (${b.seatId} for ${b.userId})`);
    } else recovered += 1;
  }
  let indeterminate = 0;
  const durableKeys = new Set(input.durable.map((b) => `${b.seatId}|${b.userId}`));
  for (const [key, how] of attempted) if (how === "info" && !durableKeys.has(key)) indeterminate += 1;

  let doubleSold = 0;
  for (const [seat, ids] of perSeat) {
    if (ids.size <= 1) continue;
    doubleSold += 1;
    if (examples.length < MAX_EXAMPLES) examples.push(`double-sold ${seat}: ${[...ids].join(", ")}`);
  }

  const soldDb = perSeat.size;
  if (lost > 0) notes.push(`${lost} acknowledged booking(s) lost`);
  if (doubleSold > 0) notes.push(`${doubleSold} seat(s) sold twice`);
  if (unexpected > 0) notes.push(`${unexpected} booking(s) present that no client attempted`);
  const soldMismatch = input.soldApi !== null && input.soldApi !== soldDb;
  if (soldMismatch) notes.push(`API reports ${input.soldApi} sold, the database holds ${soldDb}`);
  if (input.soldApi === null) notes.push("the API could not report its sold count after the restart");
  if (recovered > 0) notes.push(`${recovered} booking(s) with an unknown outcome were committed (recovered)`);

  const valid = lost === 0 && doubleSold === 0 && unexpected === 0 && !soldMismatch;
  return {
    valid: valid ? (input.soldApi === null ? "unknown" : true) : false,
    acknowledged: ackedIds.size,
    lost,
    unexpected,
    recovered,
    indeterminate,
    doubleSold,
    soldApi: input.soldApi,
    soldDb,
    examples,
    notes,
  };
}

/** Composes checker results as Jepsen does: `false` wins over `"unknown"`, which wins over `true`. */
export function composeValidity(values: Array<AuditResult["valid"]>): AuditResult["valid"] {
  if (values.includes(false)) return false;
  if (values.includes("unknown")) return "unknown";
  return true;
}
