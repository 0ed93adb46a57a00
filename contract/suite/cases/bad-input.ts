import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { LIMITS } from "../../limits.ts";
import { Booking, EventLayout, Hold } from "../../schemas.ts";
import { freshId } from "../api.ts";
import type { Method, SendOptions } from "../client.ts";
import type { SuiteContext } from "../context.ts";
import { expectError, expectOk } from "../expect.ts";

const long = (n: number) => "x".repeat(n);
const section = { id: "A", seats: 10 };

/** `[body, field]`: each body has exactly one fault; `error.field` must name it. */
const badEvents: Array<[unknown, string]> = [
  [{}, "sections"],
  [{ sections: "A" }, "sections"],
  [{ sections: [] }, "sections"],
  [{ sections: Array.from({ length: LIMITS.maxSections + 1 }, (_, i) => ({ id: `S${i}`, seats: 1 })) }, "sections"],
  [{ sections: [{ id: "A.B", seats: 1 }] }, "sections.0.id"],
  [{ sections: [{ id: long(65), seats: 1 }] }, "sections.0.id"],
  [{ sections: [{ id: "", seats: 1 }] }, "sections.0.id"],
  [{ sections: [{ seats: 1 }] }, "sections.0.id"],
  [{ sections: [section, { id: 7, seats: 1 }] }, "sections.1.id"],
  [{ sections: [{ id: "A" }] }, "sections.0.seats"],
  [{ sections: [{ id: "A", seats: 0 }] }, "sections.0.seats"],
  [{ sections: [{ id: "A", seats: -1 }] }, "sections.0.seats"],
  [{ sections: [{ id: "A", seats: 1.5 }] }, "sections.0.seats"],
  [{ sections: [{ id: "A", seats: "10" }] }, "sections.0.seats"],
  [{ sections: [{ id: "A", seats: LIMITS.maxSeatsPerEvent + 1 }] }, "sections.0.seats"],
  [{ sections: [section, { id: "B", seats: LIMITS.maxSeatsPerEvent - 9 }] }, "sections"],
  [{ sections: [section, { id: "B", seats: 1 }, { id: "A", seats: 2 }] }, "sections.2.id"],
  [{ sections: [section], holdTtlMs: LIMITS.minHoldTtlMs - 1 }, "holdTtlMs"],
  [{ sections: [section], holdTtlMs: LIMITS.maxHoldTtlMs + 1 }, "holdTtlMs"],
  [{ sections: [section], holdTtlMs: "300" }, "holdTtlMs"],
  [{ sections: [section], holdTtlMs: 1000.5 }, "holdTtlMs"],
  [{ sections: [section], extra: 1 }, "extra"],
  [{ sections: [{ id: "A", seats: 1, price: 5 }] }, "sections.0.price"],
  [null, "body"],
  [[section], "body"],
  ["sections", "body"],
];

const goodHold = { seatId: "A-3", userId: "carol", requestId: "req-1" };
const badHolds: Array<[unknown, string]> = [
  [{ userId: "carol", requestId: "req-1" }, "seatId"],
  [{ ...goodHold, seatId: 5 }, "seatId"],
  [{ ...goodHold, seatId: null }, "seatId"],
  [{ ...goodHold, seatId: "" }, "seatId"],
  [{ ...goodHold, seatId: "A1" }, "seatId"],
  [{ ...goodHold, seatId: long(131) }, "seatId"],
  [{ seatId: "A-3", requestId: "req-1" }, "userId"],
  [{ ...goodHold, userId: 5 }, "userId"],
  [{ ...goodHold, userId: "" }, "userId"],
  [{ ...goodHold, userId: "a b" }, "userId"],
  [{ ...goodHold, userId: long(65) }, "userId"],
  [{ seatId: "A-3", userId: "carol" }, "requestId"],
  [{ ...goodHold, requestId: 7 }, "requestId"],
  [{ ...goodHold, requestId: "r!" }, "requestId"],
  [{ ...goodHold, requestId: long(65) }, "requestId"],
  [{ ...goodHold, price: 5 }, "price"],
  [null, "body"],
  [[goodHold], "body"],
  ["A-3", "body"],
];

/** Bodies and path ids the contract refuses with 400/413, and the proof that refusing them writes nothing. */
export function badInputCases({ api, test }: SuiteContext): void {
  const { client } = api;

  test("PUT event with a bad body: 400 invalid_request naming the field, nothing created", async () => {
    for (const [body, field] of badEvents) {
      const eventId = freshId("ev");
      expectError(await api.putEvent(eventId, body), "invalid_request", field);
      expectError(await api.summary(eventId), "not_found", "eventId");
    }
  });

  test("POST hold with a bad body: 400 invalid_request naming the field", async () => {
    const eventId = await api.createEvent();
    for (const [body, field] of badHolds) expectError(await api.hold(eventId, body), "invalid_request", field);
    await api.expectCounts(eventId, { available: 10, held: 0, sold: 0 });
  });

  test("bad ids in the path: 400 invalid_request naming eventId, holdId or bookingId", async () => {
    const hold = { seatId: "A-1", userId: "u", requestId: "r" };
    for (const bad of ["bad.id", long(65), "a%20b", "a!b"]) {
      const routes: Array<[Method, string, unknown]> = [
        ["PUT", `/events/${bad}`, { sections: [section] }],
        ["GET", `/events/${bad}`, undefined],
        ["GET", `/events/${bad}/seats`, undefined],
        ["POST", `/events/${bad}/holds`, hold],
        ["POST", `/events/${bad}/holds/h-1/confirm`, undefined],
        ["DELETE", `/events/${bad}/holds/h-1`, undefined],
        ["GET", `/events/${bad}/bookings/b-1`, undefined],
      ];
      for (const [method, path, json] of routes) {
        expectError(await client.send(method, path, { json }), "invalid_request", "eventId");
      }
    }
    // Generated ids are checked against their pattern ([A-Za-z0-9_.~-]{1,200}) before they are looked up.
    const eventId = await api.createEvent();
    for (const bad of [long(201), "a!b", "a%20b"]) {
      expectError(await api.confirm(eventId, bad), "invalid_request", "holdId");
      expectError(await api.release(eventId, bad), "invalid_request", "holdId");
      expectError(await api.booking(eventId, bad), "invalid_request", "bookingId");
    }
  });

  test("malformed JSON: 400 invalid_request naming body, never 500", async () => {
    const eventId = await api.createEvent();
    const hold = await api.holdOk(eventId, "A-1");
    for (const raw of ["{", '{"sections": [', "", "not json", '{"seatId":"A-2",}', "\u0000"]) {
      expectError(await client.send("PUT", `/events/${freshId("ev")}`, { raw }), "invalid_request", "body");
      expectError(await api.hold(eventId, undefined, { raw }), "invalid_request", "body");
      if (raw !== "") expectError(await api.confirm(eventId, hold.holdId, { raw }), "invalid_request", "body");
    }
    await api.expectCounts(eventId, { available: 9, held: 1, sold: 0 });
  });

  test("a body sent as anything but JSON: 415 unsupported_media_type naming content-type, nothing written", async () => {
    const eventId = await api.createEvent();
    const held = await api.holdOk(eventId, "A-1");
    const hold = JSON.stringify({ seatId: "A-2", userId: "dave", requestId: freshId("r") });
    const wrong: SendOptions[] = [
      { raw: hold, headers: { "content-type": "text/plain" } },
      { raw: hold, headers: { "content-type": "text/plain;charset=UTF-8" } },
      { raw: "seatId=A-2&userId=dave&requestId=r", headers: { "content-type": "application/x-www-form-urlencoded" } },
      { raw: hold, headers: { "content-type": "multipart/form-data; boundary=x" } },
      { raw: hold, headers: { "content-type": "application/jsonp" } },
      { raw: hold, omitContentType: true },
    ];
    const newEvent = freshId("ev");
    const layout = JSON.stringify({ sections: [section] });
    for (const opts of wrong) {
      expectError(await api.hold(eventId, undefined, opts), "unsupported_media_type", "content-type");
      expectError(
        await client.send("PUT", `/events/${newEvent}`, { ...opts, raw: layout }),
        "unsupported_media_type",
        "content-type",
      );
      expectError(
        await api.confirm(eventId, held.holdId, { ...opts, raw: "{}" }),
        "unsupported_media_type",
        "content-type",
      );
    }
    expectError(await api.summary(newEvent), "not_found", "eventId");
    await api.expectCounts(eventId, { available: 9, held: 1, sold: 0 });
    // JSON with parameters, in any case, and a bodiless confirm without the header are accepted.
    const accepted: Array<[string, string]> = [
      ["A-2", "application/json; charset=utf-8"],
      ["A-3", "Application/JSON"],
    ];
    for (const [seatId, type] of accepted) {
      const raw = JSON.stringify({ seatId, userId: "dave", requestId: freshId("r") });
      expectOk(await api.hold(eventId, undefined, { raw, headers: { "content-type": type } }), 201, Hold);
    }
    expectOk(await api.confirm(eventId, held.holdId, { omitContentType: true }), 200, Booking);
    await api.expectCounts(eventId, { available: 7, held: 2, sold: 1 });
  });

  test("bodies over 64 KiB: 413 payload_too_large (also chunked), exactly 64 KiB is accepted", async () => {
    const eventId = await api.createEvent();
    const hold = await api.holdOk(eventId, "A-1");
    const pad = long(LIMITS.maxBodyBytes);
    const newEvent = freshId("ev");
    expectError(await api.putEvent(newEvent, { sections: [section], pad }), "payload_too_large");
    expectError(await api.summary(newEvent), "not_found", "eventId");
    expectError(await api.hold(eventId, { ...goodHold, pad }), "payload_too_large");
    expectError(await api.confirm(eventId, hold.holdId, { json: { pad } }), "payload_too_large");
    // Without Content-Length the server must count the bytes itself.
    const chunks = Array.from({ length: 9 }, () => Buffer.from(" ".repeat(8 * 1024)));
    const chunked = Readable.from([Buffer.from(JSON.stringify(goodHold)), ...chunks]);
    expectError(await api.hold(eventId, undefined, { raw: chunked }), "payload_too_large");
    await api.expectCounts(eventId, { available: 9, held: 1, sold: 0 });
    // JSON may carry trailing whitespace: a body of exactly the limit is valid.
    const json = JSON.stringify(goodHold);
    const exact = json + " ".repeat(LIMITS.maxBodyBytes - Buffer.byteLength(json));
    expectOk(await api.hold(eventId, undefined, { raw: exact }), 201, Hold);
  });

  test("bodies over 64 KiB on GET and DELETE routes: 413 payload_too_large, nothing released", async () => {
    const eventId = await api.createEvent();
    const held = await api.holdOk(eventId, "A-1");
    const sold = await api.holdOk(eventId, "A-2", "bob");
    const booking = await api.confirmOk(eventId, sold);
    const raw = long(LIMITS.maxBodyBytes + 1);
    const routes: Array<[Method, string]> = [
      ["GET", `/events/${eventId}`],
      ["GET", `/events/${eventId}/seats?limit=5`],
      ["GET", `/events/${eventId}/bookings/${booking.bookingId}`],
      ["DELETE", `/events/${eventId}/holds/${held.holdId}`],
    ];
    for (const [method, path] of routes) {
      expectError(
        await client.send(method, path, { raw, headers: { "content-type": "text/plain" } }),
        "payload_too_large",
      );
    }
    await api.expectCounts(eventId, { available: 8, held: 1, sold: 1 });
  });

  test("nothing is written by bad input: summary, seats and request ids unchanged", async () => {
    const sections = [section];
    const eventId = await api.createEvent(sections);
    const held = await api.holdOk(eventId, "A-1", "alice");
    const sold = await api.holdOk(eventId, "A-2", "bob");
    await api.confirmOk(eventId, sold);
    // Every read from now on reflects the writes above: what follows must change nothing.
    await api.settle();
    const before = { summary: await api.summaryOk(eventId), seats: await api.seatsOk(eventId, "?limit=1000") };
    const requestId = freshId("r");
    const pad = long(LIMITS.maxBodyBytes);
    const refused = [
      [await api.hold(eventId, { seatId: "A-3", userId: "a b", requestId }), "invalid_request"],
      [await api.hold(eventId, { seatId: "A-3", userId: "carol", requestId, extra: true }), "invalid_request"],
      [await api.hold(eventId, { seatId: "A-3", userId: "carol", requestId, pad }), "payload_too_large"],
      [await api.hold(eventId, undefined, { raw: '{"seatId":"A-3"' }), "invalid_request"],
      [await api.hold(eventId, { seatId: "A-99", userId: "carol", requestId }), "not_found"],
      [await api.hold(eventId, { seatId: "A-1", userId: "carol", requestId }), "seat_unavailable"],
      [await api.hold(eventId, { seatId: "A-2", userId: "carol", requestId: freshId("r") }), "seat_unavailable"],
      [await api.putEvent(eventId, { sections: [{ id: "A", seats: 11 }] }), "layout_conflict"],
      [await api.putEvent(eventId, { sections, holdTtlMs: 5 }), "invalid_request"],
      [await api.confirm(eventId, held.holdId, { json: { requestId: 1 } }), "invalid_request"],
      [await api.confirm(eventId, held.holdId, { json: { pad } }), "payload_too_large"],
      [await api.confirm(eventId, "never-issued"), "not_found"],
      [await api.release(eventId, "never-issued"), "not_found"],
      [await api.release(eventId, sold.holdId), "seat_unavailable"],
    ] as const;
    for (const [reply, code] of refused) expectError(reply, code);
    assert.deepEqual(await api.summaryOk(eventId), before.summary);
    assert.deepEqual(await api.seatsOk(eventId, "?limit=1000"), before.seats);
    expectOk(await api.putEvent(eventId, { sections }), 200, EventLayout);
    // The refused requests recorded nothing under their request id: using it now is a fresh hold.
    const fresh = expectOk(await api.hold(eventId, { seatId: "A-3", userId: "carol", requestId }), 201, Hold);
    assert.equal(fresh.seatId, "A-3");
    assert.equal(fresh.userId, "carol");
  });
}
