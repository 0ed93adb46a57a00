import type { Redis } from "ioredis";
import type { SeatStatus } from "../../contract/index.ts";
import type { BookingRow, Section } from "../db/index.ts";
import { eventKeys, PENDING_KEY } from "./keys.ts";
import { defineScripts } from "./scripts.ts";

/** Outcome of a hold attempt. */
export type HoldResult =
  | { kind: "held"; token: string; expiresAt: number; repeated: boolean }
  | { kind: "not_loaded" }
  | { kind: "no_seat" }
  | { kind: "unavailable" };

/** Outcome of a confirm. `pending`: the booking may not be in PostgreSQL yet, so the caller must (re)write it. */
export type ConfirmResult =
  | { kind: "sold"; userId: string; pending: boolean }
  | { kind: "not_loaded" }
  | { kind: "gone" };

export type ReleaseResult = "released" | "nothing" | "not_loaded" | "confirmed";

export interface Counts {
  capacity: number;
  held: number;
  sold: number;
}

/** A seat to address inside an event. */
export interface SeatRef {
  seatId: string;
  sectionId: string;
  n: number;
}

/** A sold seat as the seat key stores it. */
export interface SoldSeat {
  seatId: string;
  token: string;
  userId: string;
}

// Script replies are decoded here and only here (STYLE: one function per set of codes).
function decodeHold(r: unknown): HoldResult {
  const [code, token, expiresAt] = r as [number, string?, number?];
  if (code === 1 || code === 2)
    return { kind: "held", token: String(token), expiresAt: Number(expiresAt), repeated: code === 2 };
  if (code === -1) return { kind: "not_loaded" };
  if (code === -2) return { kind: "no_seat" };
  return { kind: "unavailable" };
}

function decodeConfirm(r: unknown): ConfirmResult {
  const [code, userId, pending] = r as [number, string?, number?];
  if (code === 1) return { kind: "sold", userId: String(userId), pending: true };
  if (code === 2) return { kind: "sold", userId: String(userId), pending: pending === 1 };
  if (code === -1) return { kind: "not_loaded" };
  return { kind: "gone" };
}

const RELEASE: Record<number, ReleaseResult> = { 1: "released", 0: "nothing", [-1]: "not_loaded", [-5]: "confirmed" };

/** `eventId|seatId|bookingId|userId`: ids never contain `|`. */
export function pendingMember(b: BookingRow): string {
  return `${b.eventId}|${b.seatId}|${b.bookingId}|${b.userId}`;
}

export function parsePendingMember(m: string): BookingRow | undefined {
  const [eventId, seatId, bookingId, userId] = m.split("|");
  return eventId && seatId && bookingId && userId ? { eventId, seatId, bookingId, userId } : undefined;
}

/**
 * `{"seats":[{"seatId":..,"status":..},...]}` from a packed list, written directly: seat ids are a section id
 * (`[A-Za-z0-9_-]`) and a number, statuses are words, so nothing needs escaping, and no array of objects is built
 * only to be serialised.
 */
export function seatListJson(packed: string): string {
  if (packed === "") return '{"seats":[]}';
  const parts = packed.split(",");
  let out = '{"seats":[';
  for (let i = 0; i + 1 < parts.length; i += 2) {
    if (i > 0) out += ",";
    out += `{"seatId":"${parts[i]}","status":"${parts[i + 1]}"}`;
  }
  return `${out}]}`;
}

/** The app's Redis operations: one round trip each (one script, or one plain command). */
export type Store = ReturnType<typeof createStore>;

export function createStore(redis: Redis) {
  const run = defineScripts(redis);
  return {
    redis,

    async hold(eventId: string, seat: SeatRef, userId: string, requestId: string, token: string): Promise<HoldResult> {
      const k = eventKeys(eventId);
      const keys = [k.meta, k.seat(seat.seatId), k.free, k.held, k.exp, k.req(seat.seatId, userId, requestId)];
      return decodeHold(await run("hold", keys, [seat.sectionId, seat.n, seat.seatId, userId, token]));
    },

    async confirm(eventId: string, seat: SeatRef, token: string, bookingId: string): Promise<ConfirmResult> {
      const k = eventKeys(eventId);
      const keys = [k.meta, k.seat(seat.seatId), k.held, k.exp, k.sold, PENDING_KEY];
      const prefix = `${eventId}|${seat.seatId}|${bookingId}|`;
      return decodeConfirm(await run("confirm", keys, [seat.sectionId, seat.n, seat.seatId, token, prefix]));
    },

    async release(eventId: string, seat: SeatRef, token: string): Promise<ReleaseResult> {
      const k = eventKeys(eventId);
      const keys = [k.meta, k.seat(seat.seatId), k.free, k.held, k.exp];
      const code = Number(await run("release", keys, [seat.sectionId, seat.n, seat.seatId, token]));
      return RELEASE[code] ?? "nothing";
    },

    async counts(eventId: string): Promise<Counts | undefined> {
      const k = eventKeys(eventId);
      const [code, capacity, held, sold] = (await run("summary", [k.meta, k.exp, k.sold], [])) as number[];
      return code === 1 ? { capacity: Number(capacity), held: Number(held), sold: Number(sold) } : undefined;
    },

    /**
     * The seats as the script packs them, `"seatId,status,seatId,status,..."` ("" for none); undefined when the
     * event is not loaded. `seatListJson` turns it into the answer.
     */
    async seatsPacked(
      eventId: string,
      q: { status?: SeatStatus | undefined; section?: string | undefined; limit: number },
    ): Promise<string | undefined> {
      const k = eventKeys(eventId);
      const keys = [k.meta, k.free, k.held, k.exp, k.sold, k.seatPrefix];
      const r = (await run("seats", keys, [q.status ?? "", q.section ?? "", q.limit])) as [number, string?];
      return r[0] === 1 ? (r[1] ?? "") : undefined;
    },

    /** The seat key's value ("H|..." / "S|token|user") or null. */
    seatValue(eventId: string, seatId: string): Promise<string | null> {
      return redis.get(eventKeys(eventId).seat(seatId));
    },

    async isLoaded(eventId: string): Promise<boolean> {
      return (await redis.hexists(eventKeys(eventId).meta, "ready")) === 1;
    },

    async loadEvent(
      eventId: string,
      layout: { sections: Section[]; holdTtlMs: number; capacity: number },
      sold: SoldSeat[],
    ) {
      const k = eventKeys(eventId);
      const args: Array<string | number> = [
        layout.holdTtlMs,
        layout.capacity,
        layout.sections.map((s) => s.id).join(","),
        layout.sections.map((s) => s.seats).join(","),
      ];
      for (const s of sold) args.push(s.seatId, s.token, s.userId);
      await run("load-event", [k.meta, k.free, k.held, k.exp, k.sold, k.seatPrefix], args);
    },

    /** Marks bookings as committed to PostgreSQL (they leave the pending set). */
    async settle(rows: BookingRow[]): Promise<void> {
      if (rows.length > 0) await redis.zrem(PENDING_KEY, ...rows.map(pendingMember));
    },

    /** Pending bookings confirmed more than `olderThanMs` ago: written by nobody yet, or still in the queue. */
    async overduePending(olderThanMs: number, max: number): Promise<BookingRow[]> {
      const members = await redis.zrangebyscore(PENDING_KEY, "-inf", Date.now() - olderThanMs, "LIMIT", 0, max);
      return members.map(parsePendingMember).filter((b): b is BookingRow => b !== undefined);
    },

    pendingCount(): Promise<number> {
      return redis.zcard(PENDING_KEY);
    },
  };
}
