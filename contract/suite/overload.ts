import assert from "node:assert/strict";
import { Agent, request } from "undici";
import { OVERLOADED } from "../admission.ts";

/** Options for `floodHolds`. */
export interface FloodOptions {
  /** Where to send: a node directly (its own bound) or the load balancer (its queue bound). */
  baseUrl: string;
  /** Holds sent at once, one per seat, each on its own connection. */
  holds: number;
  /**
   * Runs after the event is created, before the flood; `spareSeat` is a seat the check never uses. It must
   * leave no seat held (the check counts held seats).
   */
  prepare?: (eventId: string, spareSeat: string) => Promise<void>;
}

/** What `floodHolds` saw. */
export interface FloodResult {
  eventId: string;
  admitted: Array<{ holdId: string; seatId: string }>;
  /** The overload answers' `message`s, by message (tells which layer shed: the app or the balancer). */
  shedBy: Map<string, number>;
  shed: number;
  /** Median time to an overload answer and to an admitted one, ms. */
  shedP50Ms: number;
  admittedP50Ms: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/**
 * The overload check both apps run (issue 13): `holds` holds at once on distinct seats of a fresh event, more
 * than the target admits. Asserts that every answer is either the hold (201) or the overload answer (503,
 * `Retry-After: 1`, `{"error":"overloaded"}`), that both kinds occurred, that the shed requests did no work (the
 * event shows exactly the admitted holds as held), and that what was admitted keeps being served: every admitted
 * hold confirms, and a new hold after the flood is admitted.
 */
export async function floodHolds(opts: FloodOptions): Promise<FloodResult> {
  const agent = new Agent({ connections: null, keepAliveTimeout: 2_000, headersTimeout: 30_000 });
  const send = async (method: string, path: string, body?: unknown) => {
    const t0 = performance.now();
    const res = await request(`${opts.baseUrl}${path}`, {
      method: method as "GET",
      dispatcher: agent,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text, ms: performance.now() - t0 };
  };
  try {
    const eventId = `ev-flood-${Math.random().toString(36).slice(2, 10)}`;
    const seats = opts.holds + 2;
    const created = await send("PUT", `/events/${eventId}`, { sections: [{ id: "A", seats }] });
    assert.equal(created.status, 201, `create event: ${created.text}`);
    await opts.prepare?.(eventId, `A-${seats}`);

    // One connection per hold opened first (health checks are never shed by the apps), so the holds leave
    // together instead of one TCP handshake apart.
    await Promise.all(Array.from({ length: opts.holds }, () => send("GET", "/health")));
    const answers = await Promise.all(
      Array.from({ length: opts.holds }, (_, i) =>
        send("POST", `/events/${eventId}/holds`, { seatId: `A-${i + 1}`, userId: `u${i}`, requestId: `r${i}` }),
      ),
    );
    const admitted: FloodResult["admitted"] = [];
    const shedBy = new Map<string, number>();
    const shedMs: number[] = [];
    const admittedMs: number[] = [];
    for (const a of answers) {
      if (a.status === 201) {
        admitted.push(JSON.parse(a.text) as { holdId: string; seatId: string });
        admittedMs.push(a.ms);
        continue;
      }
      assert.equal(a.status, OVERLOADED.status, `an answer neither admitted nor shed: ${a.status} ${a.text}`);
      assert.equal(a.headers["retry-after"], String(OVERLOADED.retryAfterS), "Retry-After of a shed request");
      const body = JSON.parse(a.text) as { error: unknown; message: string };
      assert.equal(body.error, OVERLOADED.body.error, `body of a shed request: ${a.text}`);
      shedBy.set(body.message, (shedBy.get(body.message) ?? 0) + 1);
      shedMs.push(a.ms);
    }
    assert.ok(shedMs.length > 0, `nothing was shed out of ${opts.holds} holds at once`);
    assert.ok(admitted.length > 0, "nothing was admitted");

    // Shed requests did no work: the event holds exactly the admitted seats.
    const summary = JSON.parse((await send("GET", `/events/${eventId}`)).text) as { held: number };
    assert.equal(summary.held, admitted.length, "held seats differ from the admitted holds");
    // What was admitted is served to the end, a few at a time (not a second flood).
    for (let i = 0; i < admitted.length; i += 2) {
      const batch = admitted.slice(i, i + 2);
      const confirms = await Promise.all(
        batch.map((h) => send("POST", `/events/${eventId}/holds/${encodeURIComponent(h.holdId)}/confirm`)),
      );
      for (const c of confirms) assert.equal(c.status, 200, `confirm of an admitted hold: ${c.text}`);
    }
    const after = await send("POST", `/events/${eventId}/holds`, {
      seatId: `A-${seats - 1}`,
      userId: "late",
      requestId: "r",
    });
    assert.equal(after.status, 201, `a hold after the flood: ${after.text}`);
    return {
      eventId,
      admitted,
      shedBy,
      shed: shedMs.length,
      shedP50Ms: median(shedMs),
      admittedP50Ms: median(admittedMs),
    };
  } finally {
    await agent.close();
  }
}
