import { randomUUID } from "node:crypto";
import { request } from "undici";
import type { z } from "zod";
import { Booking, ErrorResponse, EventSummary, Health, Hold } from "../../contract/schemas.ts";

/**
 * Verify before measuring (TechEmpower's `verify`): a quick pass over the contract — shapes, error codes and one
 * concurrency probe — against the stack under test. An app that fails is not benchmarked; the run says why.
 */
export async function verifyApp(baseUrl: string): Promise<{ ok: boolean; problems: string[] }> {
  const problems: string[] = [];
  const ev = `verify-${randomUUID().slice(0, 8)}`;
  // 503 is the contract's retriable answer (a cluster still placing its shards): retry it for a while, as a
  // client honouring Retry-After would, before judging the answer.
  const readyBy = Date.now() + 15_000;
  const call = async (method: "GET" | "PUT" | "POST" | "DELETE", path: string, body?: unknown) => {
    for (;;) {
      const r = await once(method, path, body);
      if (r.status !== 503 || Date.now() > readyBy) return r;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const once = async (method: "GET" | "PUT" | "POST" | "DELETE", path: string, body?: unknown) => {
    const res = await request(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await res.body.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.statusCode, json };
  };
  const expect = (what: string, got: { status: number; json: unknown }, status: number, schema?: z.ZodType) => {
    if (got.status !== status)
      problems.push(`${what}: expected ${status}, got ${got.status} ${JSON.stringify(got.json)}`);
    else if (schema && !schema.safeParse(got.json).success)
      problems.push(`${what}: body does not match the contract: ${JSON.stringify(got.json)}`);
    return got.json as Record<string, unknown>;
  };

  try {
    expect("GET /health", await call("GET", "/health"), 200, Health);
    expect(
      "PUT event",
      await call("PUT", `/events/${ev}`, { sections: [{ id: "A", seats: 5 }], holdTtlMs: 60_000 }),
      201,
    );
    expect("GET event", await call("GET", `/events/${ev}`), 200, EventSummary);
    const hold = expect(
      "POST hold",
      await call("POST", `/events/${ev}/holds`, { seatId: "A-1", userId: "u1", requestId: "r1" }),
      201,
      Hold,
    );
    expect(
      "POST hold on a held seat",
      await call("POST", `/events/${ev}/holds`, { seatId: "A-1", userId: "u2", requestId: "r2" }),
      409,
      ErrorResponse,
    );
    const bad = expect(
      "POST hold with a bad body",
      await call("POST", `/events/${ev}/holds`, { seatId: 7, userId: "u3", requestId: "r3" }),
      400,
      ErrorResponse,
    ) as { error?: { code?: string } };
    if (bad?.error?.code !== "invalid_request") problems.push("bad body: error.code is not invalid_request");
    expect("malformed JSON", await call("POST", `/events/${ev}/holds`, "{not json"), 400, ErrorResponse);
    const booking = expect(
      "POST confirm",
      await call("POST", `/events/${ev}/holds/${String(hold?.holdId)}/confirm`),
      200,
      Booking,
    );
    expect("GET booking", await call("GET", `/events/${ev}/bookings/${String(booking?.bookingId)}`), 200, Booking);
    expect("GET unknown booking", await call("GET", `/events/${ev}/bookings/nope`), 404, ErrorResponse);
    // Concurrency probe: 20 users race for one seat; exactly one may win.
    const race = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call("POST", `/events/${ev}/holds`, { seatId: "A-2", userId: `r${i}`, requestId: `race-${i}` }),
      ),
    );
    const winners = race.filter((r) => r.status === 201).length;
    if (winners !== 1) problems.push(`concurrency probe: ${winners} of 20 racing holds on one seat succeeded (want 1)`);
  } catch (err) {
    problems.push(`verification could not complete: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { ok: problems.length === 0, problems };
}
