import type { AppRunSummary } from "../results/types.ts";

/**
 * What the regression job gates, and how. Cost metrics are nearly deterministic (statements per booking do not
 * depend on how busy the CI machine is), so they are gated tightly. Timing metrics are not: they are compared as
 * the stateful/stateless ratio measured in the same run, with a tolerance derived from repetitions. Correctness
 * is gated strictly.
 */
export type MetricKind = "cost" | "timing" | "correctness";

export interface GatedMetric {
  name: string;
  kind: MetricKind;
  /** "lower" when smaller is better. */
  better: "lower" | "higher";
  read: (s: AppRunSummary) => number | null;
  /** Cost metrics: relative change allowed, plus an absolute slack for values near zero. */
  tolerance?: { relative: number; absolute: number };
}

export const GATED: GatedMetric[] = [
  {
    name: "db.statementsPerBooking",
    kind: "cost",
    better: "lower",
    read: (s) => s.db.statementsPerBooking,
    tolerance: { relative: 0.15, absolute: 0.05 },
  },
  {
    name: "db.commitsPerBooking",
    kind: "cost",
    better: "lower",
    read: (s) => s.db.commitsPerBooking,
    tolerance: { relative: 0.15, absolute: 0.05 },
  },
  {
    name: "db.rowsWrittenPerBooking",
    kind: "cost",
    better: "lower",
    read: (s) => s.db.rowsWrittenPerBooking,
    tolerance: { relative: 0.15, absolute: 0.1 },
  },
  {
    name: "redis.commandsPerBooking",
    kind: "cost",
    better: "lower",
    read: (s) => s.redis?.commandsPerBooking ?? null,
    tolerance: { relative: 0.15, absolute: 0.5 },
  },
  {
    name: "journal.eventsPerTransaction",
    kind: "cost",
    better: "higher",
    read: (s) => s.journal?.eventsPerTransaction ?? null,
    // Group-commit batch sizes follow the arrival pattern, which is noisier than per-booking costs.
    tolerance: { relative: 0.4, absolute: 0.5 },
  },
  { name: "throughput.bookingsPerS", kind: "timing", better: "higher", read: (s) => s.throughput.bookingsPerS },
  { name: "latency.p99", kind: "timing", better: "lower", read: (s) => s.latency.p99 },
  { name: "audit.lost", kind: "correctness", better: "lower", read: (s) => s.audit.lost },
  { name: "audit.doubleSold", kind: "correctness", better: "lower", read: (s) => s.audit.doubleSold },
  { name: "audit.unexpected", kind: "correctness", better: "lower", read: (s) => s.audit.unexpected },
];
