import type { AppRunSummary } from "../results/types.ts";

const n = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits);

/** The end-of-run table on stdout: one row per scenario x app, the figures an architect asks for first. */
export function resultTable(results: AppRunSummary[]): string {
  const head = [
    "scenario",
    "app",
    "req/s",
    "bookings/s",
    "p50 ms",
    "p99 ms",
    "p99.9 ms",
    "errors",
    "sold out s",
    "stmts/booking",
    "CPU s/1k",
    "forwarded",
    "audit",
  ];
  const rows = results.map((r) => [
    r.scenario,
    r.app,
    n(r.throughput.requestsPerS, 0),
    n(r.throughput.bookingsPerS, 0),
    n(r.latency.p50, 1),
    n(r.latency.p99, 1),
    n(r.latency.p999, 1),
    `${n(r.errors.rate * 100, 2)}%`,
    n(r.sellOutS, 1),
    n(r.db.statementsPerBooking, 3),
    n(r.cpu.secondsPer1kBookings, 2),
    // Stateful: actor-addressed requests that took the forwarding hop (owner routing keeps it near 0).
    r.routing?.forwardedShare == null ? "—" : `${n(r.routing.forwardedShare * 100, 1)}%`,
    r.audit.valid === true ? "ok" : r.audit.valid === false ? "FAILED" : "unknown",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
