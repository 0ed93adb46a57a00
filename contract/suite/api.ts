import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";
import {
  Booking,
  type CreateEventRequest,
  EventLayout,
  EventSummary,
  Hold,
  SeatList,
  type SeatStatus,
} from "../schemas.ts";
import type { Client, Reply, SendOptions } from "./client.ts";
import { expectOk } from "./expect.ts";

export type Section = CreateEventRequest["sections"][number];
export type Counts = { available: number; held: number; sold: number };

/** A fresh client-chosen id (`<label>-<12 hex>`), so every case owns its event and may run against a shared server. */
export function freshId(label: string): string {
  return `${label}-${randomBytes(6).toString("hex")}`;
}

/**
 * The API's routes as typed calls. `*Ok` variants assert the success status and shape and return the body.
 * Availability reads after a write (`expectCounts`, `expectSeatStatus`) poll for up to `stalenessMs`, the app's
 * documented staleness bound (`LIMITS.availabilityStalenessMs`; 0 for an app whose reads are exact).
 */
export class Api {
  constructor(
    readonly client: Client,
    readonly stalenessMs = 0,
  ) {}

  putEvent(eventId: string, body: unknown): Promise<Reply> {
    return this.client.send("PUT", `/events/${eventId}`, { json: body });
  }

  /** Creates a fresh event (asserting 201 and the echoed layout) and returns its id. */
  async createEvent(sections: Section[] = [{ id: "A", seats: 10 }], holdTtlMs?: number): Promise<string> {
    const eventId = freshId("ev");
    const body = holdTtlMs === undefined ? { sections } : { sections, holdTtlMs };
    const layout = expectOk(await this.putEvent(eventId, body), 201, EventLayout);
    assert.deepEqual(layout, { eventId, sections, holdTtlMs: holdTtlMs ?? 600_000 });
    return eventId;
  }

  summary(eventId: string): Promise<Reply> {
    return this.client.send("GET", `/events/${eventId}`);
  }

  async summaryOk(eventId: string): Promise<EventSummary> {
    const summary = expectOk(await this.summary(eventId), 200, EventSummary);
    assert.equal(summary.eventId, eventId);
    assert.equal(summary.available + summary.held + summary.sold, summary.capacity, "available + held + sold");
    return summary;
  }

  /**
   * Asserts the event's counts (and that they add up to its capacity), allowing the read to lag the writes
   * before it by the staleness bound.
   */
  async expectCounts(eventId: string, counts: Counts & { capacity?: number }): Promise<void> {
    const read = async () => {
      const { capacity, available, held, sold } = await this.summaryOk(eventId);
      return counts.capacity === undefined ? { available, held, sold } : { capacity, available, held, sold };
    };
    let actual = await read();
    const deadline = Date.now() + this.stalenessMs;
    while (!isDeepStrictEqual(actual, counts) && Date.now() < deadline) {
      await sleep(25);
      actual = await read();
    }
    assert.deepEqual(actual, counts, `counts of ${eventId}`);
  }

  seats(eventId: string, query = ""): Promise<Reply> {
    return this.client.send("GET", `/events/${eventId}/seats${query}`);
  }

  async seatsOk(eventId: string, query = ""): Promise<Array<{ seatId: string; status: SeatStatus }>> {
    return expectOk(await this.seats(eventId, query), 200, SeatList).seats;
  }

  async seatStatus(eventId: string, seatId: string): Promise<SeatStatus | undefined> {
    const section = seatId.slice(0, seatId.lastIndexOf("-"));
    const seats = await this.seatsOk(eventId, `?section=${section}&limit=1000`);
    return seats.find((s) => s.seatId === seatId)?.status;
  }

  /** Asserts a seat's status in the listing, allowing the read to lag the writes before it by the bound. */
  async expectSeatStatus(eventId: string, seatId: string, status: SeatStatus): Promise<void> {
    let actual = await this.seatStatus(eventId, seatId);
    const deadline = Date.now() + this.stalenessMs;
    while (actual !== status && Date.now() < deadline) {
      await sleep(25);
      actual = await this.seatStatus(eventId, seatId);
    }
    assert.equal(actual, status, `status of ${seatId}`);
  }

  /** Asserts that `read()` gives `expected` within the staleness bound (an availability read after writes). */
  async expectEventually<T>(read: () => Promise<T>, expected: T, message?: string): Promise<void> {
    let actual = await read();
    const deadline = Date.now() + this.stalenessMs;
    while (!isDeepStrictEqual(actual, expected) && Date.now() < deadline) {
      await sleep(25);
      actual = await read();
    }
    assert.deepEqual(actual, expected, message);
  }

  /** Waits out the staleness bound: every availability read reflects the writes acknowledged before the call. */
  settle(): Promise<void> {
    return sleep(this.stalenessMs).then(() => {});
  }

  hold(eventId: string, body: unknown, opts: SendOptions = {}): Promise<Reply> {
    return this.client.send("POST", `/events/${eventId}/holds`, { json: body, ...opts });
  }

  /** Holds `seatId` for `userId` with a fresh request id; asserts 201 and the echoed seat and user. */
  async holdOk(eventId: string, seatId: string, userId = freshId("u")): Promise<Hold> {
    const hold = expectOk(await this.hold(eventId, { seatId, userId, requestId: freshId("r") }), 201, Hold);
    assert.equal(hold.seatId, seatId);
    assert.equal(hold.userId, userId);
    return hold;
  }

  confirm(eventId: string, holdId: string, opts: SendOptions = {}): Promise<Reply> {
    return this.client.send("POST", `/events/${eventId}/holds/${holdId}/confirm`, opts);
  }

  async confirmOk(eventId: string, hold: Hold, opts: SendOptions = {}): Promise<Booking> {
    const booking = expectOk(await this.confirm(eventId, hold.holdId, opts), 200, Booking);
    assert.deepEqual(
      { eventId: booking.eventId, seatId: booking.seatId, userId: booking.userId },
      { eventId, seatId: hold.seatId, userId: hold.userId },
    );
    return booking;
  }

  release(eventId: string, holdId: string): Promise<Reply> {
    return this.client.send("DELETE", `/events/${eventId}/holds/${holdId}`);
  }

  booking(eventId: string, bookingId: string): Promise<Reply> {
    return this.client.send("GET", `/events/${eventId}/bookings/${bookingId}`);
  }

  /**
   * Polls `check` until it returns true or `timeoutMs` passes; returns whether it did. Expiry is observed by
   * polling because apps may free expired seats lazily or with a periodic sweep.
   */
  async waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return true;
      if (Date.now() >= deadline) return false;
      await sleep(everyMs);
    }
  }
}
