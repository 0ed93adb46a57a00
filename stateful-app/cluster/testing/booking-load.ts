import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, request } from "undici";

/** One acknowledged confirmation: the app answered 200 with this booking. */
export interface Ack {
  seatId: string;
  bookingId: string;
  userId: string;
  at: number;
}

/** What a load run saw. */
export interface LoadResult {
  acks: Ack[];
  holds: number;
  conflicts: number;
  unavailable: number;
  transportErrors: number;
  otherErrors: string[];
  /** Time (ms since start) of every 2xx answer, for gap analysis around a fault. */
  okTimes: number[];
  /** Every final answer (not 502/503, not a transport error): when (epoch ms) and for which seat. */
  served: Array<{ at: number; seatId: string }>;
}

/** Options for `runBookingLoad`. */
export interface LoadOptions {
  /** Base URLs for a seat's requests; one is picked per request (HAProxy's URL, node URLs, or its owner's). */
  urls: (seatId: string) => string[];
  eventId: string;
  seats: string[];
  workers?: number;
  /** Hard stop (ms). */
  durationMs: number;
  /** Upper bound on hold attempts over the run. */
  maxAttempts?: number;
  /** Stops early when set to true. */
  stop?: { value: boolean };
}

const agent = new Agent({ connections: 256, keepAliveTimeout: 2_000, headersTimeout: 10_000, bodyTimeout: 10_000 });

/** `POST`s JSON; returns status, parsed body and headers, or `null` on a transport error. */
async function post(url: string, json: unknown): Promise<{ status: number; body: unknown } | null> {
  try {
    const res = await request(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(json),
      dispatcher: agent,
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
  } catch {
    return null;
  }
}

function id(label: string): string {
  return `${label}${randomBytes(5).toString("hex")}`;
}

/**
 * Workers loop: hold a random seat (retrying 503s and transport errors with the same requestId: holds are
 * idempotent), confirm it (confirm is idempotent too), record every 200 confirmation as acknowledged. Bounded by
 * `durationMs` and `maxAttempts`.
 */
export async function runBookingLoad(opts: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = {
    acks: [],
    holds: 0,
    conflicts: 0,
    unavailable: 0,
    transportErrors: 0,
    otherErrors: [],
    okTimes: [],
    served: [],
  };
  const start = Date.now();
  const deadline = start + opts.durationMs;
  let attempts = 0;
  const maxAttempts = opts.maxAttempts ?? 100_000;
  const pick = (seatId: string) => {
    const urls = opts.urls(seatId);
    return urls[Math.floor(Math.random() * urls.length)] ?? "";
  };
  const live = () => Date.now() < deadline && !opts.stop?.value;
  // Sends until a final answer (not 503 / transport error), or the run ends: then null.
  const until = async (path: string, json: unknown, seatId: string) => {
    while (live()) {
      const res = await post(`${pick(seatId)}${path}`, json);
      if (res === null) result.transportErrors++;
      else if (res.status === 503 || res.status === 502) result.unavailable++;
      else {
        if (res.status < 300) result.okTimes.push(Date.now() - start);
        result.served.push({ at: Date.now(), seatId });
        return res;
      }
      await sleep(50);
    }
    return null;
  };
  const worker = async () => {
    while (live() && attempts < maxAttempts) {
      attempts++;
      const seatId = opts.seats[Math.floor(Math.random() * opts.seats.length)] ?? "";
      const userId = id("u");
      const hold = await until(`/events/${opts.eventId}/holds`, { seatId, userId, requestId: id("r") }, seatId);
      if (hold === null) return;
      if (hold.status === 409) {
        result.conflicts++;
        continue;
      }
      if (hold.status !== 201) {
        result.otherErrors.push(`hold ${hold.status} ${JSON.stringify(hold.body)}`);
        continue;
      }
      result.holds++;
      const holdId = (hold.body as { holdId: string }).holdId;
      const confirm = await until(`/events/${opts.eventId}/holds/${encodeURIComponent(holdId)}/confirm`, {}, seatId);
      if (confirm === null) return;
      if (confirm.status !== 200) {
        result.otherErrors.push(`confirm ${confirm.status} ${JSON.stringify(confirm.body)}`);
        continue;
      }
      const booking = confirm.body as { bookingId: string; seatId: string; userId: string };
      if (booking.seatId !== seatId || booking.userId !== userId) {
        result.otherErrors.push(`confirm answered another booking: ${JSON.stringify(booking)}`);
      }
      result.acks.push({ seatId, bookingId: booking.bookingId, userId, at: Date.now() - start });
    }
  };
  await Promise.all(Array.from({ length: opts.workers ?? 16 }, worker));
  return result;
}

/** Seats acknowledged as sold to more than one booking or user. */
export function doubleSales(acks: Ack[]): string[] {
  const bySeat = new Map<string, Set<string>>();
  for (const a of acks) {
    const set = bySeat.get(a.seatId) ?? new Set<string>();
    set.add(`${a.bookingId}|${a.userId}`);
    bySeat.set(a.seatId, set);
  }
  return [...bySeat.entries()].filter(([, s]) => s.size > 1).map(([seat]) => seat);
}

/** GETs each acknowledged booking (retrying 503s); returns the ones missing or different. */
export async function missingAcks(baseUrl: string, eventId: string, acks: Ack[]): Promise<string[]> {
  const missing: string[] = [];
  for (const a of acks) {
    let res: { status: number; body: unknown } | null = null;
    for (let i = 0; i < 40; i++) {
      try {
        const r = await request(`${baseUrl}/events/${eventId}/bookings/${encodeURIComponent(a.bookingId)}`, {
          dispatcher: agent,
        });
        const text = await r.body.text();
        res = { status: r.statusCode, body: text ? JSON.parse(text) : undefined };
      } catch {
        res = null;
      }
      if (res && res.status !== 503 && res.status !== 502) break;
      await sleep(100);
    }
    const b = res?.body as { seatId?: string; userId?: string } | undefined;
    if (res?.status !== 200 || b?.seatId !== a.seatId || b?.userId !== a.userId) {
      missing.push(`${a.bookingId} (${a.seatId}): ${res?.status ?? "no answer"}`);
    }
  }
  return missing;
}

/** Longest stretch (ms) without any 2xx answer between `from` and `to` (ms since the run's start). */
export function longestGap(okTimes: number[], from: number, to: number): number {
  const times = okTimes.filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  let prev = from;
  let worst = 0;
  for (const t of [...times, to]) {
    worst = Math.max(worst, t - prev);
    prev = t;
  }
  return worst;
}

/** Closes the load agent's sockets. */
export function closeLoadAgent(): Promise<void> {
  return agent.close();
}
