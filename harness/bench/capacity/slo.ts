import type { Slo } from "../../../scenarios/types.ts";
import { LATENCY_METRICS, parseThresholds, type Threshold } from "../thresholds.ts";

/** A threshold and who set it. */
export interface OwnedThreshold extends Threshold {
  setBy: "scenario" | "user";
}

/** What a capacity search holds every step to, and what it asks of the capacity it finds. */
export interface SearchSlo {
  /** Judged on every step: the latency bounds and the error bound. */
  perStep: OwnedThreshold[];
  /** The user's throughput thresholds (rps, bookings, dropped), judged on the last step that held. */
  onCapacity: OwnedThreshold[];
  p99Ms: number | null;
  errorRate: number | null;
}

const own = (ts: Threshold[], setBy: OwnedThreshold["setBy"]): OwnedThreshold[] => ts.map((t) => ({ ...t, setBy }));

const boundOf = (ts: Threshold[], metric: string): number | null =>
  ts.find((t) => t.metric === metric && (t.op === "<" || t.op === "<="))?.value ?? null;

/**
 * The scenario's SLO with the user's `--threshold`s laid over it: any latency threshold replaces the default
 * p99 bound, an `errors` threshold replaces the default error bound; throughput thresholds are asked of the
 * capacity found. Example: `resolveSlo({ p99Ms: 250, errorRate: 0.01 }, parseThresholds(["p99<100"]))`.
 */
export function resolveSlo(base: Slo, user: Threshold[]): SearchSlo {
  const latency = user.filter((t) => LATENCY_METRICS.includes(t.metric));
  const errors = user.filter((t) => t.metric === "errors");
  const perStep = [
    ...(latency.length > 0 ? own(latency, "user") : own(parseThresholds([`p99<=${base.p99Ms}`]), "scenario")),
    ...(errors.length > 0
      ? own(errors, "user")
      : own(parseThresholds([`errors<=${+(base.errorRate * 100).toFixed(6)}%`]), "scenario")),
  ];
  return {
    perStep,
    onCapacity: own(
      user.filter((t) => !latency.includes(t) && !errors.includes(t)),
      "user",
    ),
    p99Ms: boundOf(perStep, "p99"),
    errorRate: boundOf(perStep, "errors"),
  };
}
