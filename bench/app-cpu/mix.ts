import { Pool } from "undici";
import { SEATS_PER_SECTION, SECTIONS } from "./canned.ts";

/** Options for `runMix`. */
export interface MixOptions {
  /** Requests per second offered (three per journey: list, hold, confirm). */
  rate: number;
  seconds: number;
  eventId: string;
  /** Index of this round's first journey on the event (each journey takes a fresh seat). */
  firstJourney: number;
  /** How long a journey may wait for its answers after the last arrival before the round is cut off. */
  drainMs: number;
}

/** What one round saw from the client side. */
export interface MixResult {
  journeys: number;
  requests: number;
  /** Requests answered with the status the booking mix expects (200 list, 201 hold, 200 confirm). */
  ok: number;
  /** Other answers by `<endpoint> <status>` (status 0: no answer). */
  unexpected: Record<string, number>;
  /** From the first intended arrival to the last answer. */
  elapsedS: number;
  /** Journey latency from its intended start (no coordinated omission), ms. */
  p50Ms: number;
  p99Ms: number;
  /** How late journeys started after their intended time (p99, ms): a client that could not keep up. */
  lagP99Ms: number;
}

/** A keep-alive client to one server (undici, no pipelining). */
export interface MixClient {
  pool: Pool;
  close(): Promise<void>;
}

export function mixClient(url: string, connections: number): MixClient {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  return { pool, close: () => pool.close() };
}

const JSON_HEADERS = { "content-type": "application/json" };
const TIMEOUT_MS = 10_000;

async function send(pool: Pool, method: "GET" | "POST", path: string, body?: string) {
  try {
    const res = await pool.request({
      method,
      path,
      headers: body === undefined ? undefined : JSON_HEADERS,
      body,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    return { status: res.statusCode, text: await res.body.text() };
  } catch {
    return { status: 0, text: "" };
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * One round of the booking mix at a fixed arrival rate (open model: journey k starts at t0 + k / journeysPerS
 * whether or not earlier ones finished). A journey lists the available seats of a section, holds a seat of
 * that section nobody held before, and confirms the hold. Seats are dealt in order: journey j takes seat
 * floor(j / SECTIONS) + 1 of section S(j mod SECTIONS + 1), so every target sees the same requests. Bounded in
 * count (rate x seconds / 3 journeys) and time (seconds + drainMs).
 */
export async function runMix(client: MixClient, opts: MixOptions): Promise<MixResult> {
  const { pool } = client;
  const journeysPerS = opts.rate / 3;
  const total = Math.floor(journeysPerS * opts.seconds);
  if (opts.firstJourney + total > SECTIONS * SEATS_PER_SECTION) throw new Error("the bench event ran out of seats");
  const base = `/events/${opts.eventId}`;
  const latencies: number[] = [];
  const lags: number[] = [];
  const unexpected: Record<string, number> = {};
  let ok = 0;
  let requests = 0;
  const count = (endpoint: string, status: number, want: number) => {
    requests++;
    if (status === want) ok++;
    else unexpected[`${endpoint} ${status}`] = (unexpected[`${endpoint} ${status}`] ?? 0) + 1;
    return status === want;
  };

  const journey = async (k: number, intended: number) => {
    lags.push(performance.now() - intended);
    const j = opts.firstJourney + k;
    const section = `S${(j % SECTIONS) + 1}`;
    const seatId = `${section}-${Math.floor(j / SECTIONS) + 1}`;
    const userId = `u${j}`;
    const list = await send(pool, "GET", `${base}/seats?status=available&limit=100&section=${section}`);
    if (count("list", list.status, 200)) {
      const hold = await send(
        pool,
        "POST",
        `${base}/holds`,
        JSON.stringify({ seatId, userId, requestId: `${userId}-h1` }),
      );
      if (count("hold", hold.status, 201)) {
        const holdId = (JSON.parse(hold.text) as { holdId: string }).holdId;
        const confirm = await send(
          pool,
          "POST",
          `${base}/holds/${encodeURIComponent(holdId)}/confirm`,
          JSON.stringify({ requestId: `${userId}-c` }),
        );
        count("confirm", confirm.status, 200);
      }
    }
    latencies.push(performance.now() - intended);
  };

  const t0 = performance.now() + 20;
  const running = new Set<Promise<void>>();
  let started = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (started < total && t0 + (started * 1000) / journeysPerS <= now) {
        const p = journey(started, t0 + (started * 1000) / journeysPerS).finally(() => running.delete(p));
        running.add(p);
        started++;
      }
      if (started >= total) resolve();
      else setTimeout(tick, Math.max(1, Math.min(5, t0 + (started * 1000) / journeysPerS - now)));
    };
    setTimeout(tick, 20);
  });
  const cutOff = new Promise<void>((r) => setTimeout(r, opts.drainMs).unref());
  await Promise.race([Promise.all(running), cutOff]);
  const elapsedS = (performance.now() - t0) / 1000;
  if (running.size > 0) unexpected["unfinished journeys"] = running.size;
  latencies.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  return {
    journeys: total,
    requests,
    ok,
    unexpected,
    elapsedS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    lagP99Ms: percentile(lags, 99),
  };
}
