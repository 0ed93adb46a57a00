/**
 * The contract test suite: one shared suite that both apps (and the reference app) run, as Hono's router tests.
 *
 * Where issue 2 leaves the API open, the suite settles it as follows (this list is the documented contract):
 * - Order of checks: body over 64 KiB (413) > a PUT/POST body not sent as JSON (415 `unsupported_media_type`
 *   naming `content-type`) > bad path id (400 naming `eventId`, then `holdId`/`bookingId`) > bad body (400) > unknown event (404 `eventId`) > unknown seat/hold/booking (404 naming `seatId`/`holdId`/
 *   `bookingId`) > state (409/410). Path ids are checked against their pattern: eventId `[A-Za-z0-9_-]{1,64}`,
 *   generated ids (holdId, bookingId) `[A-Za-z0-9_.~-]{1,200}`.
 * - 400 `invalid_request` always names the field: the dotted path of the first fault (`sections.0.seats`), the
 *   unknown key itself for unknown fields (`sections.0.price`), the query parameter for `/seats` (`limit`, `foo`),
 *   and `body` for malformed JSON, an empty required body, or JSON that is not an object.
 * - `PUT /events/{id}` answers the layout `{ eventId, sections, holdTtlMs }` (default TTL filled in) with 201 or
 *   200. The layout is the sections in order plus holdTtlMs; any difference (count, order, TTL, an omitted TTL
 *   against a non-default one) is 409 `layout_conflict` and changes nothing. 200,000 seats is accepted.
 * - A hold on a seat the event does not have (unknown section, n out of range, `A-0`, `A-01`, no dash) is 404
 *   `not_found` naming `seatId`; only a seatId failing the body schema (type, length 3..130) is a 400.
 * - Hold idempotency key: (event, seatId, userId, requestId). Its first 201 answer is replayed byte-for-byte
 *   (same holdId and expiresAt) whatever happened since (confirmed, released, expired), without holding the
 *   seat again. Refused requests (4xx) record nothing. Reusing a requestId on another seat is a new request;
 *   another user replaying it gets 409. Concurrent duplicates all get the same 201.
 * - A new requestId from the user who already holds the seat is 409 `seat_unavailable`.
 * - Confirm: the body is optional (`{}` or `{ requestId }`, strict). Confirming again returns the same booking.
 *   A released hold or one past its `expiresAt` is 410 `hold_expired`; a well-formed holdId never issued
 *   for this event (including another event's hold) is 404 naming `holdId`.
 * - Release (DELETE) is idempotent: 204 also for an already released or expired hold, and it never touches a
 *   later hold on the seat. Releasing a confirmed hold is 409 `seat_unavailable`; the seat stays sold.
 * - Expiry: from `expiresAt` on, confirm is refused; the seat must show as available (summary, listing, new
 *   holds) within `EXPIRY_GRACE_MS` (5 s) after it. Confirmed holds never expire. `expiresAt` is an ISO UTC
 *   string, now + holdTtlMs.
 * - Seat listing: layout order (sections as given, numbers ascending), the first `limit` (1..1000, default 100)
 *   seats matching all filters; an unknown section is an empty list, not an error.
 * - Unknown routes and unsupported methods on known paths are 404 `not_found` (there is no 405).
 * - A PUT or POST body must be sent as `application/json` (parameters such as `charset` allowed, any case, and
 *   `application/*+json`); any other Content-Type, or none, is 415 and changes nothing. A bodiless confirm
 *   needs no Content-Type.
 * - A body of exactly 64 KiB is accepted; over it is 413 on every route (GET and DELETE too), also when sent
 *   chunked without Content-Length.
 * - 503 `unavailable` is retried (same request) only by the concurrency cases; elsewhere it fails the case.
 * - Availability reads (summary, listing) may lag acknowledged writes by `LIMITS.availabilityStalenessMs`: the
 *   read-after-write checks poll for up to the app's bound (`availabilityStalenessMs`; 0 = exact reads).
 *   Holds, confirms, releases and booking reads are never stale.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { LIMITS } from "../limits.ts";
import { Api } from "./api.ts";
import { badInputCases } from "./cases/bad-input.ts";
import { bookingCases } from "./cases/bookings.ts";
import { concurrencyCases } from "./cases/concurrency.ts";
import { eventCases } from "./cases/events.ts";
import { expiryCases } from "./cases/expiry.ts";
import { holdCases } from "./cases/holds.ts";
import { routeCases } from "./cases/routes.ts";
import { seatCases } from "./cases/seats.ts";
import { Client } from "./client.ts";
import type { SuiteContext } from "./context.ts";

export interface ContractSuiteOptions {
  /** Shown in the suite's title: `contract: <name>`. */
  name: string;
  /** Resolved inside each case, so the server may start in a `before()` hook after registration. */
  baseUrl: () => string;
  /** Hold TTL of the events the expiry cases create (default 300 ms, at least `LIMITS.minHoldTtlMs`). */
  holdTtlMs?: number;
  /**
   * How long availability reads may lag acknowledged writes (default `LIMITS.availabilityStalenessMs`; 0 for an
   * app whose reads are exact, which the suite then checks without waiting).
   */
  availabilityStalenessMs?: number;
  /** Cases to skip, by exact name, each with the reason. A name that matches no case fails the suite. */
  skip?: Array<{ test: string; reason: string }>;
}

/**
 * Registers the contract test suite (`node:test` describe/it) against a live base URL. Call it at the top level of
 * a test file. Every case creates its own events with random ids, so the suite runs against a long-lived server,
 * in any order, and alongside other traffic.
 *
 * @example
 * let stack: Stack;
 * before(async () => { stack = await startStack({ app: "stateful", nodes: 2 }); });
 * after(() => stack.stop());
 * runContractSuite({ name: "stateful, 2 nodes", baseUrl: () => stack.url });
 */
export function runContractSuite(opts: ContractSuiteOptions): void {
  const shortTtlMs = opts.holdTtlMs ?? 300;
  const stalenessMs = opts.availabilityStalenessMs ?? LIMITS.availabilityStalenessMs;
  if (stalenessMs < 0 || stalenessMs > LIMITS.availabilityStalenessMs) {
    throw new Error(`availabilityStalenessMs must be within 0..${LIMITS.availabilityStalenessMs}`);
  }
  if (shortTtlMs < LIMITS.minHoldTtlMs) throw new Error(`holdTtlMs must be at least ${LIMITS.minHoldTtlMs}`);
  const skips = new Map<string, string>();
  for (const { test, reason } of opts.skip ?? []) {
    if (reason.trim() === "") throw new Error(`skipping "${test}" needs a reason`);
    skips.set(test, reason);
  }
  const client = new Client(opts.baseUrl);
  const registered = new Set<string>();
  const ctx: SuiteContext = {
    api: new Api(client, stalenessMs),
    shortTtlMs,
    test(name, fn) {
      if (registered.has(name)) throw new Error(`duplicate contract case name: ${name}`);
      registered.add(name);
      const reason = skips.get(name);
      it(name, reason === undefined ? {} : { skip: reason }, fn);
    },
  };

  describe(`contract: ${opts.name}`, () => {
    after(() => client.close());
    describe("health and routes", () => routeCases(ctx));
    describe("events", () => eventCases(ctx));
    describe("seats", () => seatCases(ctx));
    describe("holds", () => holdCases(ctx));
    describe("confirm and bookings", () => bookingCases(ctx));
    describe("bad input", () => badInputCases(ctx));
    // The expiry cases mostly wait for clocks, and each owns its event: run them side by side.
    describe("hold expiry", { concurrency: true }, () => expiryCases(ctx));
    describe("concurrency", () => concurrencyCases(ctx));
    it("skip list names only cases of the suite", () => {
      assert.deepEqual(
        [...skips.keys()].filter((name) => !registered.has(name)),
        [],
      );
    });
  });
}
