import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import { LIMITS } from "../../contract/index.ts";
import type { AckRecord, AppName, AuditResult } from "../results/types.ts";
import { checkBookings } from "./checker.ts";
import { readDurableBookings } from "./durable.ts";

export interface AuditOptions {
  app: AppName;
  /** The load balancer's URL, after the cold restart. */
  baseUrl: string;
  /** Null for an external target without DATABASE_URL: the audit then goes through the API only. */
  databaseUrl: string | null;
  eventId: string;
  acks: AckRecord[];
  /** How long the restarted app may answer 503 (shards still moving) before the audit gives up. */
  readyTimeoutMs?: number;
}

/**
 * The audit after the cold restart: reads what the database holds, asks the restarted app for every
 * acknowledged booking and for its sold count, and checks both against what clients were told.
 */
export async function auditRun(o: AuditOptions): Promise<AuditResult> {
  const deadline = Date.now() + (o.readyTimeoutMs ?? 20_000);
  const summary = await getJson(`${o.baseUrl}/events/${o.eventId}`, deadline);
  const soldOf = (r: { status: number; json: unknown }) =>
    r.status === 200 ? Number((r.json as { sold?: number }).sold) : null;
  let soldApi = soldOf(summary);
  const durable = o.databaseUrl ? await readDurableBookings(o.app, o.databaseUrl, o.eventId) : null;
  // The contract lets availability reads lag writes by LIMITS.availabilityStalenessMs (a restarted cluster's
  // replicated view is still filling in): a count that disagrees is read once more after that bound, never later.
  if (durable && soldApi !== null && soldApi !== new Set(durable.map((b) => b.seatId)).size) {
    await sleep(LIMITS.availabilityStalenessMs);
    soldApi = soldOf(await getJson(`${o.baseUrl}/events/${o.eventId}`, deadline));
  }
  const result = durable ? checkBookings({ acks: o.acks, durable, soldApi }) : apiOnly(o.acks, soldApi);

  // Every acknowledged booking must also be readable through the API, with the same seat and user.
  const acked = new Map<string, AckRecord>();
  for (const a of o.acks) if (a.op === "confirm" && a.type === "ok" && a.bookingId) acked.set(a.bookingId, a);
  const unreadable: string[] = [];
  const queue = [...acked.values()];
  const worker = async () => {
    for (let a = queue.pop(); a; a = queue.pop()) {
      const r = await getJson(`${o.baseUrl}/events/${o.eventId}/bookings/${a.bookingId}`, deadline);
      const b = r.json as { seatId?: string; userId?: string } | null;
      if (r.status !== 200 || b?.seatId !== a.seatId || b?.userId !== a.userId)
        unreadable.push(`${a.bookingId} (HTTP ${r.status})`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  if (unreadable.length > 0) {
    result.valid = false;
    result.notes.unshift(`${unreadable.length} acknowledged booking(s) not readable through the API after the restart`);
    result.examples.push(...unreadable.slice(0, 5).map((x) => `unreadable ${x}`));
  }
  return result;
}

/** Without database access only the API can be asked: nothing can be proven absent, so the best verdict is unknown. */
function apiOnly(acks: AckRecord[], soldApi: number | null): AuditResult {
  const acknowledged = new Set(acks.filter((a) => a.op === "confirm" && a.type === "ok").map((a) => a.bookingId)).size;
  return {
    valid: "unknown",
    acknowledged,
    lost: 0,
    unexpected: 0,
    recovered: 0,
    indeterminate: 0,
    doubleSold: 0,
    soldApi,
    soldDb: null,
    examples: [],
    notes: ["no database access (set DATABASE_URL): audited through the API only"],
  };
}

/** GET with retries on 503/connection errors until the deadline (a restarted cluster may still be moving shards). */
async function getJson(url: string, deadline: number): Promise<{ status: number; json: unknown }> {
  for (;;) {
    try {
      const res = await request(url, { headersTimeout: 10_000, bodyTimeout: 10_000 });
      const text = await res.body.text();
      if (res.statusCode !== 503 || Date.now() > deadline)
        return { status: res.statusCode, json: text ? JSON.parse(text) : null };
    } catch (err) {
      if (Date.now() > deadline) return { status: 0, json: { error: String(err) } };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
