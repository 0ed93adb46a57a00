import { request } from "undici";

/** App processes by where their `/metrics` is served (its own port, or the public one), now: a node killed or
 * added meanwhile is missing or present. */
export type NodeList = () => Array<{ id: string; url: string }>;

/**
 * Waits until no app process reports pending writes (`pendingWrites` in its `/metrics`: the stateless app's
 * queued jobs, the stateful app's unflushed journal events). Returns the seconds it took, or null when it timed
 * out — the audit then runs anyway, and what was not written shows up as lost.
 */
export async function drainWrites(nodes: NodeList, timeoutMs = 60_000): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const pending = await Promise.all(nodes().map((n) => pendingWrites(n.url)));
    if (pending.every((p) => p === 0)) return (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}

/** The process's pending writes; a process that does not answer counts as drained (it cannot write anyway). */
async function pendingWrites(url: string): Promise<number> {
  try {
    const res = await request(`${url}/metrics`, { headersTimeout: 2000, bodyTimeout: 2000 });
    const body = (await res.body.json()) as { pendingWrites?: number };
    return typeof body.pendingWrites === "number" ? body.pendingWrites : 0;
  } catch {
    return 0;
  }
}

/** Sums a numeric field over the `/metrics` of every running process (e.g. journal counters). */
export async function sumMetrics(nodes: NodeList, fields: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = Object.fromEntries(fields.map((f) => [f, 0]));
  for (const n of nodes()) {
    try {
      const res = await request(`${n.url}/metrics`, { headersTimeout: 2000, bodyTimeout: 2000 });
      const body = (await res.body.json()) as Record<string, unknown>;
      for (const f of fields) out[f] = (out[f] ?? 0) + (typeof body[f] === "number" ? (body[f] as number) : 0);
    } catch {
      // A dead or paused node has nothing to add.
    }
  }
  return out;
}

/**
 * Numeric `/metrics` fields of each running process, by process id: counters to difference per node, so a node
 * that joins during a window counts from zero and one killed during it drops out instead of going negative.
 */
export async function metricsByNode(nodes: NodeList, fields: string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  for (const n of nodes()) {
    try {
      const res = await request(`${n.url}/metrics`, { headersTimeout: 2000, bodyTimeout: 2000 });
      const body = (await res.body.json()) as Record<string, unknown>;
      const row: Record<string, number> = {};
      for (const f of fields) if (typeof body[f] === "number") row[f] = body[f] as number;
      out.set(n.id, row);
    } catch {
      // A dead or paused node has nothing to add.
    }
  }
  return out;
}

/** Sum over the nodes present at `after` of (after - before), a node absent before counting from zero. */
export function windowDelta(
  before: Map<string, Record<string, number>>,
  after: Map<string, Record<string, number>>,
  field: string,
): number {
  let sum = 0;
  for (const [id, row] of after) sum += Math.max(0, (row[field] ?? 0) - (before.get(id)?.[field] ?? 0));
  return sum;
}
