import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseSeatId } from "../../contract/ids.ts";

/**
 * A tiny in-memory server speaking just enough of the booking API for the driver's own tests and its ceiling
 * bench: events, summary, seat list, holds (with TTL and request-id idempotency), confirm, release. It can
 * answer after a fixed delay, stall (answer nothing for a while, as a paused server would) or never answer at
 * all, or serve a fixed number of requests per second (`serviceRate`: one server with a fixed service time,
 * first come first served, so past that rate requests queue and latency grows without bound: a planted knee).
 * Not an app under test.
 */
export interface StubServer {
  url: string;
  /** performance.now() and method/path of every request received, when `record` is set. */
  readonly received: Array<{ at: number; method: string; path: string }>;
  readonly count: { requests: number };
  /** From now on, hold every answer until `forMs` from now (requests already waiting included). */
  stall(forMs: number): void;
  close(): Promise<void>;
}

interface EventState {
  capacity: number;
  ttlMs: number;
  sections: Array<{ id: string; seats: number; status: Uint8Array; expiry: Float64Array; firstOpen: number }>;
  byId: Map<string, number>;
  holds: Map<string, { sec: number; i: number; seatId: string; userId: string; expiry: number; booking?: string }>;
  byRequest: Map<string, { status: number; body: unknown }>;
  sold: number;
  held: number;
}

const AVAILABLE = 0;
const HELD = 1;
const SOLD = 2;

export async function startStubServer(
  opts: { record?: boolean; neverAnswer?: boolean; delayMs?: number; serviceRate?: number } = {},
): Promise<StubServer> {
  const events = new Map<string, EventState>();
  const received: StubServer["received"] = [];
  const count = { requests: 0 };
  let stallUntil = 0;
  // When the single simulated server is next free (serviceRate only).
  let freeAt = 0;
  let nextId = 1;

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
  };
  const fail = (res: ServerResponse, status: number, code: string) =>
    send(res, status, { error: { code, message: code } });

  // Lazily expires a hold whose TTL passed, so availability is right without a sweeper.
  function isOpen(ev: EventState, sec: number, i: number, now: number): boolean {
    const s = ev.sections[sec];
    if (!s) return false;
    if (s.status[i] === HELD && (s.expiry[i] ?? 0) <= now) {
      s.status[i] = AVAILABLE;
      ev.held--;
    }
    return s.status[i] === AVAILABLE;
  }

  function list(ev: EventState, section: string | null, limit: number, now: number) {
    const out: Array<{ seatId: string; status: "available" }> = [];
    const order = section === null ? ev.sections.map((_, k) => k) : [ev.byId.get(section) ?? -1];
    for (const k of order) {
      const s = ev.sections[k];
      if (!s) continue;
      while (s.firstOpen < s.seats && s.status[s.firstOpen] === SOLD) s.firstOpen++;
      for (let i = s.firstOpen; i < s.seats && out.length < limit; i++) {
        if (isOpen(ev, k, i, now)) out.push({ seatId: `${s.id}-${i + 1}`, status: "available" });
      }
      if (out.length >= limit) break;
    }
    return out;
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    const url = new URL(req.url ?? "/", "http://stub");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const now = performance.now();
    if (parts[0] === "health") return send(res, 200, { status: "ok", app: "stateless", node: "stub" });
    if (parts[0] !== "events" || !parts[1]) return fail(res, 404, "not_found");
    const eventId = parts[1];
    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return fail(res, 400, "invalid_request");
      }
    }
    if (req.method === "PUT" && parts.length === 2) {
      if (events.has(eventId)) return send(res, 200, { eventId });
      const sections = (body.sections as Array<{ id: string; seats: number }>) ?? [];
      const ev: EventState = {
        capacity: sections.reduce((n, s) => n + s.seats, 0),
        ttlMs: Number(body.holdTtlMs ?? 600_000),
        sections: sections.map((s) => ({
          id: s.id,
          seats: s.seats,
          status: new Uint8Array(s.seats),
          expiry: new Float64Array(s.seats),
          firstOpen: 0,
        })),
        byId: new Map(sections.map((s, k) => [s.id, k])),
        holds: new Map(),
        byRequest: new Map(),
        sold: 0,
        held: 0,
      };
      events.set(eventId, ev);
      return send(res, 201, { eventId });
    }
    const ev = events.get(eventId);
    if (!ev) return fail(res, 404, "not_found");
    if (req.method === "GET" && parts.length === 2) {
      const available = ev.capacity - ev.sold - ev.held;
      return send(res, 200, { eventId, capacity: ev.capacity, available, held: ev.held, sold: ev.sold });
    }
    if (req.method === "GET" && parts[2] === "seats") {
      const limit = Number(url.searchParams.get("limit") ?? 100);
      return send(res, 200, { seats: list(ev, url.searchParams.get("section"), limit, now) });
    }
    if (req.method === "POST" && parts[2] === "holds" && parts.length === 3) {
      const requestId = String(body.requestId);
      const seen = ev.byRequest.get(requestId);
      if (seen) return send(res, seen.status, seen.body);
      const seatId = String(body.seatId);
      const parsed = parseSeatId(seatId);
      const sec = parsed ? ev.byId.get(parsed.sectionId) : undefined;
      if (!parsed || sec === undefined || parsed.n > (ev.sections[sec]?.seats ?? 0)) return fail(res, 404, "not_found");
      const i = parsed.n - 1;
      let answer: { status: number; body: unknown };
      if (isOpen(ev, sec, i, now)) {
        const s = ev.sections[sec];
        if (!s) return fail(res, 500, "internal");
        s.status[i] = HELD;
        s.expiry[i] = now + ev.ttlMs;
        ev.held++;
        const holdId = `h${nextId++}`;
        ev.holds.set(holdId, { sec, i, seatId, userId: String(body.userId), expiry: now + ev.ttlMs });
        const expiresAt = new Date(Date.now() + ev.ttlMs).toISOString();
        answer = { status: 201, body: { holdId, seatId, userId: body.userId, expiresAt } };
      } else {
        answer = { status: 409, body: { error: { code: "seat_unavailable", message: "taken" } } };
      }
      ev.byRequest.set(requestId, answer);
      return send(res, answer.status, answer.body);
    }
    const hold = parts[3] ? ev.holds.get(parts[3]) : undefined;
    if (parts[2] === "holds" && !hold) return fail(res, 404, "not_found");
    if (hold && req.method === "POST" && parts[4] === "confirm") {
      const booking = { eventId, seatId: hold.seatId, userId: hold.userId, status: "confirmed" };
      if (hold.booking) return send(res, 200, { bookingId: hold.booking, ...booking });
      const s = ev.sections[hold.sec];
      if (!s || hold.expiry <= now || s.status[hold.i] !== HELD) return fail(res, 410, "hold_expired");
      s.status[hold.i] = SOLD;
      ev.held--;
      ev.sold++;
      hold.booking = `b${nextId++}`;
      return send(res, 200, { bookingId: hold.booking, ...booking });
    }
    if (hold && req.method === "DELETE" && parts.length === 4) {
      const s = ev.sections[hold.sec];
      if (s && !hold.booking && hold.expiry > now && s.status[hold.i] === HELD) {
        s.status[hold.i] = AVAILABLE;
        ev.held--;
        hold.expiry = 0;
      }
      return send(res, 204);
    }
    return fail(res, 404, "not_found");
  }

  const server = createServer((req, res) => {
    count.requests++;
    if (opts.record) received.push({ at: performance.now(), method: req.method ?? "", path: req.url ?? "" });
    if (opts.neverAnswer) return;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const now = performance.now();
      let wait = Math.max(stallUntil - now, opts.delayMs ?? 0);
      if (opts.serviceRate) {
        freeAt = Math.max(freeAt, now) + 1000 / opts.serviceRate;
        wait = Math.max(wait, freeAt - now);
      }
      if (wait > 0) setTimeout(() => handle(req, res, raw), wait);
      else handle(req, res, raw);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    count,
    stall(forMs) {
      stallUntil = performance.now() + forMs;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
